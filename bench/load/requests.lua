-- One path of the load bench (bench/load/run.py), for wrk with as many threads as
-- connections, so that each thread is one connection and signs in as its own members.
--
--   wrk -t 50 -c 50 -d 15s -s bench/load/requests.lua http://127.0.0.1:PORT -- requests.tsv
--
-- requests.tsv (written by run.py): one request per line,
--   <connection>\t<path>\t<header name>\t<header value>
-- e.g. "3\t/api/v1/teams/<uuid>/my-day\tAuthorization\tBearer <token>". Connection 3 sends its
-- lines in turn, round and round. done() prints one line, "LOADBENCH {json}", for run.py.

local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  table.insert(threads, thread)
  created = created + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
  requests = {}
  for line in file:lines() do
    local connection, path, name, value = line:match("^(%d+)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if connection and tonumber(connection) == id then
      local headers = {}
      if name ~= "" then
        headers[name] = value
      end
      table.insert(requests, wrk.format("GET", path, headers))
    end
  end
  file:close()
  if #requests == 0 then
    error("no requests for connection " .. id .. " in " .. args[1])
  end
  sent = 0
  non2xx = 0
  statuses = {}
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

-- Defining response() makes wrk hand every body to Lua: a copy, cheap next to the server's work.
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    local code = tostring(status)
    statuses[code] = (statuses[code] or 0) + 1
  end
end

function done(summary, latency, _)
  local bad, by_status = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    for code, count in pairs(thread:get("statuses") or {}) do
      by_status[code] = (by_status[code] or 0) + count
    end
  end
  local codes = {}
  for code, count in pairs(by_status) do
    table.insert(codes, string.format('"%s": %d', code, count))
  end
  local e = summary.errors
  io.write(string.format(
    'LOADBENCH {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, ' ..
    '"statuses": {%s}, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}, "latency_us": {"p50": %.0f, "p90": %.0f, "p99": %.0f, "mean": %.0f, ' ..
    '"max": %.0f}}\n',
    summary.requests, summary.duration, summary.bytes, bad, table.concat(codes, ", "),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max))
end
