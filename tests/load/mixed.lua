-- wrk script for tests/load/hostile-load.sh: a fixed mix of revalidation hits, render misses, bad URLs and bad
-- images, chosen round-robin per thread, with every status counted. Paths come from the environment so the
-- shell script stays the single place that knows the layout.
local etag = os.getenv("LOAD_ETAG") or ""
local long = "/load/photo.jpg?w=10&x=" .. string.rep("a", 8100)
local many = "/load/photo.jpg?" .. string.rep("p=1&", 101)

local requests = {
  -- hits: revalidation answered 304 before the processing gate
  { path = "/load/photo.jpg?w=320", etag = true },
  { path = "/load/photo.jpg?w=320", etag = true },
  { path = "/load/photo.jpg?w=320", etag = true },
  -- misses: a render each (the counter makes every URL new)
  { path = "/load/photo.jpg?fm=webp&w=", miss = true },
  { path = "/load/alpha.webp?fm=png&w=", miss = true },
  { path = "/load/photo.jpg?fit=crop&h=100&w=", miss = true },
  -- bad URLs
  { path = "/load/photo.jpg?w=abc" },
  { path = "/nowhere/photo.jpg" },
  { path = "/load/../../etc/passwd" },
  { path = long },
  { path = many },
  -- bad images
  { path = "/load/bomb.png?w=100" },
  { path = "/load/truncated.jpg?w=100" },
  { path = "/load/random.jpg?w=100" },
  { path = "/load/empty.png?w=100" },
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = 0
  counter = 0
  counts = {}
end

function request()
  i = i % #requests + 1
  local r = requests[i]
  local path = r.path
  if r.miss then
    counter = counter + 1
    -- widths 16..1015 keep each render small; with the thread id folded in, URLs rarely repeat.
    path = path .. tostring(16 + (counter * 7 + math.random(0, 1000)) % 1000)
  end
  local headers = {}
  if r.etag and etag ~= "" then
    headers["If-None-Match"] = etag
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  io.write("statuses:")
  for _, status in ipairs(keys) do io.write(string.format(" %d=%d", status, total[status])) end
  io.write("\n")
  io.write(string.format("p50=%.1fms p99=%.1fms max=%.1fms errors(connect/read/write/timeout)=%d/%d/%d/%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
