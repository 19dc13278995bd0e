import { bankContracts } from '../../../../../contracts/bank'
import { importGoesToWorker, presentImportJob, requestImportJob } from '../../../../../domain/bank/import-jobs'
import { startImportJob } from '../../../../../domain/bank/import-job-runner'
import { bankAccountRow } from '../../../../../domain/bank/accounts'
import { importStatement } from '../../../../../domain/bank/imports'
import { DomainError } from '../../../../../domain/errors'
import { defineApiHandler, uploadLimit } from '../../../../../utils/api'
import { fail } from '../../../../../utils/errors'
import { readFileBody } from '../../../../../utils/upload'

const contract = bankContracts.createBankImport

/** Up to 5,000 lines in the request (201); a file that may hold more goes to the worker (202 with the job, enqueued once committed). */
export default defineApiHandler(contract, async (event, { params, body, tenant, actor, write }) => {
  const limit = uploadLimit(event)!
  const input = await readFileBody(event, contract, body as typeof body | undefined, {
    limit: limit.bytes, tooLarge: () => new DomainError(413, limit.code, `The file is larger than ${limit.bytes} bytes`), fileNameField: 'fileName',
  })
  let started: Promise<boolean> | undefined
  const answer = await write(async (tx, unit) => {
    if (!importGoesToWorker(await bankAccountRow(tx, params.id), input)) return importStatement(tx, tenant.id, actor, params.id, input)
    const job = await requestImportJob(tx, tenant.id, actor, params.id, input)
    // Enqueued only once the row is committed, so the job always finds it (and not on an idempotent replay).
    unit.afterCommit(() => (started = startImportJob(tenant.id, job.id)))
    unit.respondWith(202)
    return presentImportJob(tx, job)
  })
  if (started && !(await started)) fail(503, 'QUEUE_UNAVAILABLE', 'The job queue is unavailable; please try again shortly')
  return answer
})
