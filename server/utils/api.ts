import { defineEventHandler, getQuery, getRequestHeader, getRouterParams, readBody, setResponseStatus, type H3Event } from 'h3'
import type { z } from 'zod'
import type { Contract } from '../contracts/define'
import { ValidationError } from '../domain/errors'
import { toHttpError } from './errors'

type Out<C, K extends string> = C extends { [k in K]: infer S } ? S extends z.ZodType ? z.output<S> : undefined : undefined
export interface ApiInput<C extends Contract> { params: Out<C, 'params'>, query: Out<C, 'query'>, body: Out<C, 'body'> }

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_'
    fields[path] ??= issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message
  }
  return fields
}

/** Where a string holding U+0000 sits in the input: PostgreSQL text cannot store it, so it is a 400 here, not a 500 later. */
function nulPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '_' : undefined
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, [...path, key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const nul = nulPath(value)
  if (nul !== undefined) throw new ValidationError(`Invalid ${where}`, { [nul]: 'must not contain NUL characters' })
  const result = schema.safeParse(value)
  if (!result.success) throw new ValidationError(`Invalid ${where}`, fieldErrors(result.error))
  return result.data
}

async function readJson(event: H3Event): Promise<unknown> {
  const type = getRequestHeader(event, 'content-type') ?? ''
  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (!length && !getRequestHeader(event, 'transfer-encoding')) return undefined
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ValidationError('Request body must be JSON (Content-Type: application/json)', undefined, 'UNSUPPORTED_MEDIA_TYPE')
  try {
    return await readBody(event)
  }
  catch {
    throw new ValidationError('Request body is not valid JSON', undefined, 'MALFORMED_JSON')
  }
}

/**
 * A route handler bound to its contract: params, query and body are validated with the contract's
 * zod schemas before the handler runs, and every error leaves through one mapper.
 */
export function defineApiHandler<C extends Contract, R>(contract: C, handler: (event: H3Event, input: ApiInput<C>) => Promise<R>) {
  return defineEventHandler(async (event) => {
    try {
      const input = {
        params: contract.params ? parse(contract.params, getRouterParams(event, { decode: true }), 'path parameters') : undefined,
        query: contract.query ? parse(contract.query, getQuery(event), 'query parameters') : undefined,
        body: contract.body ? parse(contract.body, (await readJson(event)) ?? {}, 'request body') : undefined,
      } as ApiInput<C>
      const result = await handler(event, input)
      if (contract.successStatus && event.node.res.statusCode === 200) setResponseStatus(event, contract.successStatus)
      return result
    }
    catch (err) {
      throw toHttpError(event, err)
    }
  })
}
