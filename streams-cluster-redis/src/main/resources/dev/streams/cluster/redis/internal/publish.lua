-- Positions a batch of events of one project and sends it to every node, atomically.
-- KEYS[1] the cluster's message sequence, KEYS[2] the cluster's message log, KEYS[3] the project's ledger of
-- recovery bytes per stream (a sorted set), KEYS[4] the project's recovery bytes in all; then, for each event,
-- the topic's meta hash and its recovery stream.
-- ARGV[1] a candidate epoch for topics that have none, ARGV[2] recovery stream length (exact),
-- ARGV[3] key lifetime in ms (0: forever), ARGV[4] the project's channel, ARGV[5] the publishing node's name,
-- ARGV[6] the message log's length (approximate), ARGV[7] the project, ARGV[8] the project's recovery bytes at
-- most; then for each event: the publishing node's clock (seconds, nanoseconds) and the event's body.
-- Returns, for each event, its head: "epoch offset seconds nanoseconds".
-- Each topic's hash is read once and written once per batch, whatever the number of its events in it.
local heads = {}
local ledger = KEYS[3]
local bytes = KEYS[4]
local maxEvents = tonumber(ARGV[2])
local maxBytes = tonumber(ARGV[8])
local total = 0

-- Removes a recovery stream's oldest event and gives its bytes back; false when the stream holds none (it was
-- emptied, or expired with the key lifetime). Streams only ever lose their oldest events, which readers
-- already take as trimmed history.
local function trimOldest(stream)
  local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  if #oldest == 0 then
    return false
  end
  local fields = oldest[1][2]
  local size = 0
  for f = 1, #fields, 2 do
    if fields[f] == 'b' then
      size = #fields[f + 1]
    end
  end
  redis.call('XDEL', stream, oldest[1][1])
  redis.call('ZINCRBY', ledger, -size, stream)
  total = redis.call('DECRBY', bytes, size)
  return true
end
-- Every published message has the next number of one cluster-wide sequence, and is logged under it: a node
-- that finds a number missing (it was disconnected, or dropped what it could not keep up with) reads the
-- missed messages back from the log, whichever topics they were about.
local seq = redis.call('INCR', KEYS[1])
local message = {ARGV[5] .. string.format(' %d\n', seq)}
local topics = {}
local order = {}
for i = 1, (#KEYS - 4) / 2 do
  local meta = KEYS[2 * i + 3]
  local stream = KEYS[2 * i + 4]
  local a = 8 + 3 * (i - 1)
  local t = topics[meta]
  if t == nil then
    if redis.call('HSETNX', meta, 'e', ARGV[1]) == 1 then
      -- A new epoch: whatever a stream of an older one kept must not be read as this one's.
      while trimOldest(stream) do end
      redis.call('DEL', stream)
    end
    local state = redis.call('HMGET', meta, 'e', 'o', 's', 'n')
    t = {stream = stream, epoch = state[1], offset = tonumber(state[2] or '0'),
         sec = tonumber(state[3] or '0'), ns = tonumber(state[4] or '0')}
    topics[meta] = t
    order[#order + 1] = meta
  end
  local sec = tonumber(ARGV[a + 1])
  local ns = tonumber(ARGV[a + 2])
  -- Timestamps rise strictly within a topic. Seconds and nanoseconds apart, since Lua numbers are doubles.
  if sec < t.sec or (sec == t.sec and ns <= t.ns) then
    sec = t.sec
    ns = t.ns + 1
    if ns >= 1000000000 then
      sec = sec + 1
      ns = 0
    end
  end
  t.offset = t.offset + 1
  t.sec = sec
  t.ns = ns
  local head = t.epoch .. string.format(' %d %d %d', t.offset, sec, ns)
  local body = ARGV[a + 3]
  redis.call('XADD', stream, string.format('%d-0', t.offset), 'h', head, 'b', body, 'o', ARGV[5])
  redis.call('ZINCRBY', ledger, #body, stream)
  total = redis.call('INCRBY', bytes, #body)
  while redis.call('XLEN', stream) > maxEvents do
    trimOldest(stream)
  end
  -- The project's bound: its largest stream gives up its oldest events first. A stream that expired leaves
  -- its bytes in the ledger until it comes up here; at most 64 steps per event, so a script stays short.
  local steps = 0
  while total > maxBytes and steps < 64 do
    local largest = redis.call('ZREVRANGE', ledger, 0, 0)
    if #largest == 0 then
      break
    end
    if not trimOldest(largest[1]) then
      local stale = tonumber(redis.call('ZSCORE', ledger, largest[1]) or '0')
      redis.call('ZREM', ledger, largest[1])
      total = redis.call('DECRBY', bytes, stale)
    end
    steps = steps + 1
  end
  message[#message + 1] = head .. string.format(' %d\n', #body) .. body
  heads[i] = head
end
for _, meta in ipairs(order) do
  local t = topics[meta]
  redis.call('HSET', meta, 'o', string.format('%d', t.offset), 's', string.format('%d', t.sec),
      'n', string.format('%d', t.ns))
  if ARGV[3] ~= '0' then
    redis.call('PEXPIRE', meta, ARGV[3])
    redis.call('PEXPIRE', t.stream, ARGV[3])
  end
end
if ARGV[3] ~= '0' then
  redis.call('PEXPIRE', ledger, ARGV[3])
  redis.call('PEXPIRE', bytes, ARGV[3])
end
local published = table.concat(message)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], string.format('%d-0', seq), 'p', ARGV[7], 'm', published)
redis.call('PUBLISH', ARGV[4], published)
return heads
