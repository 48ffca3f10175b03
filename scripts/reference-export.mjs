// The reference's NodeJS export example (admin-chat-api.txt), run against any server:
//   CONFAB_URL=http://127.0.0.1:8080 CONFAB_KEY=… node scripts/reference-export.mjs
// Unchanged but for the base URL and key, and Node 18+'s global fetch in place of node-fetch.
// Prints, for dialogs and messages, total_entries, then rows received and distinct _ids.
const base = process.env.CONFAB_URL ?? 'http://127.0.0.1:8080'
const headers = { 'CB-Administration-API-Key': process.env.CONFAB_KEY }
const limit = 100
for (const url of [`${base}/admin/chat/list`, `${base}/admin/chat/messages/list`]) {
  let all = []
  const firstResponse = await fetch(`${url}?limit=${limit}`, { headers }).then(response => response.json())
  const { total_entries, items } = firstResponse
  console.log(url, 'total_entries', total_entries)
  all = all.concat(items)
  const totalBatchesCount = Math.ceil(total_entries / limit)
  for (let i = 1; i < totalBatchesCount; ++i) {
    const lastId = all.at(-1)['_id']
    const response = await fetch(`${url}?limit=${limit}&_id[lt]=${lastId}`, { headers }).then(response => response.json())
    all = all.concat(response.items)
  }
  console.log(url, 'received', all.length, 'distinct', new Set(all.map(item => item._id)).size)
}
