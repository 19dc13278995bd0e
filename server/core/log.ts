/** Structured JSON-lines logger; never log secrets, tokens or request bodies. */
import { useConfig } from './config'

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
type Level = keyof typeof LEVELS

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  let min: Level = 'info'
  try {
    min = useConfig().logLevel
  }
  catch { /* configuration not readable yet: keep the default */ }
  if (LEVELS[level] < LEVELS[min]) return
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit('debug', msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit('info', msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit('warn', msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit('error', msg, f),
}
