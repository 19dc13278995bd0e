import { defineNitroPlugin } from 'nitropack/runtime'
import { ConfigError, useConfig } from '../core/config'
import { errorText, log } from '../core/log'
import { startServices, stopServices } from '../boot/startup'

/**
 * Wires the process's services: validates the configuration (a bad one stops start-up with a
 * one-line reason), starts or connects the database, and closes everything on shutdown (SIGTERM
 * included, which also stops the embedded PostgreSQL).
 */
export default defineNitroPlugin((nitroApp) => {
  try {
    useConfig()
  }
  catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`paksa: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  startServices().catch((err: unknown) => {
    log.error('start-up failed', { error: errorText(err) })
    process.exit(1)
  })
  nitroApp.hooks.hook('close', async () => {
    await stopServices()
  })
})
