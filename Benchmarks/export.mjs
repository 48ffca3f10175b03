// The reference's NodeJS export loop (shared/reference/admin-chat-api.txt), timed and checked,
// for scripts/bench.sh. scripts/reference-export.mjs runs the loop itself, unchanged.
// Usage: node Benchmarks/export.mjs BASE_URL ADMIN_KEY dialogs|messages
//
// As in the reference: a first page of 100, then Math.ceil(total_entries / 100) - 1 pages with
// `_id[lt]=<last id>`. Two changes, neither of which touches the requests: rows are not kept
// (`allMessages.concat(items)` copies every row on every page, which would time Node rather than
// the server); instead each `_id` goes into a Set, so that a row seen twice or missed shows.
const [base, key, list] = process.argv.slice(2)
const url = `${base}/admin/chat/${list === 'messages' ? 'messages/list' : 'list'}`
const headers = { 'CB-Administration-API-Key': key }
const limit = 100

const seen = new Set()
let rows = 0
let duplicates = 0
let last
function take(items) {
  for (const item of items) {
    if (seen.has(item._id)) duplicates++
    else seen.add(item._id)
  }
  rows += items.length
  last = items.at(-1)
}

const start = process.hrtime.bigint()
const firstResponse = await fetch(`${url}?limit=${limit}`, { headers }).then(response => response.json())
const { total_entries, items } = firstResponse
take(items)
const totalBatchesCount = Math.ceil(total_entries / limit)
for (let i = 1; i < totalBatchesCount; ++i) {
  const lastId = last['_id']
  const response = await fetch(`${url}?limit=${limit}&_id[lt]=${lastId}`, { headers }).then(response => response.json())
  take(response.items)
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
console.log(JSON.stringify({ list, total_entries, rows, unique: seen.size, duplicates, pages: totalBatchesCount, seconds }))
