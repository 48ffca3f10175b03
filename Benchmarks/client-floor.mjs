// The floor of the reference's export loop on this machine: Benchmarks/export.mjs's client
// against a server that does no work (a child process answering every page with the same
// prepared bytes of 100 messages, each with a fresh _id). What the loop costs here without Confab.
// Usage: node Benchmarks/client-floor.mjs [ROWS]        (default 1000000)
import { fork } from 'node:child_process'
import { createServer } from 'node:http'

const rows = Number(process.argv[2] ?? 1_000_000)
if (process.argv[3] === 'serve') {
  // A page like Confab's: 100 messages of about 450 bytes; ids count down from `rows`.
  const item = id => `{"_id":"${id.toString(16).padStart(24, '0')}","chat_dialog_id":"65ba8296ec89025cc165ad61","message":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.","date_sent":1706000000,"sender_id":12,"recipient_id":0,"created_at":"2024-01-23T08:53:20Z","updated_at":"2024-01-23T08:53:20Z","read_ids":[12,13],"delivered_ids":[12,13],"attachments":[],"reactions":null,"views_count":0,"edited_at":null,"read":1,"deleted_for_ids":[]}`
  const server = createServer((request, response) => {
    const lt = new URL(request.url, 'http://x').searchParams.get('_id[lt]')
    const top = lt === null ? rows : parseInt(lt, 16) - 1
    const items = []
    for (let id = top; id > Math.max(0, top - 100); id--) items.push(item(id))
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.end(`{"total_entries":${top},"skip":0,"limit":100,"items":[${items.join(',')}]}`)
  })
  server.listen(0, '127.0.0.1', () => process.send(server.address().port))
} else {
  const child = fork(new URL(import.meta.url).pathname, [String(rows), 'serve'])
  const port = await new Promise(resolve => child.once('message', resolve))
  const { execFileSync } = await import('node:child_process')
  const exportScript = new URL('./export.mjs', import.meta.url).pathname
  const out = execFileSync('node', [exportScript, `http://127.0.0.1:${port}/x`, 'key', 'messages'], { encoding: 'utf8' })
  child.kill()
  console.log(out.trim())
}
