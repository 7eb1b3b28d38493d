-- Positions a batch of events of one project and sends it to every node, atomically.
-- KEYS[1] the cluster's message sequence, KEYS[2] the cluster's message log, KEYS[3] the project's ledger of
-- recovery bytes per stream (a sorted set), KEYS[4] the project's recovery bytes in all, KEYS[5] the project's
-- idempotency keys (a hash: key -> "topic\nhead"), KEYS[6] their expiry (a sorted set by ms); then, for each
-- event, the topic's meta hash and its recovery stream.
-- ARGV[1] a candidate epoch for topics that have none, ARGV[2] recovery stream length (exact),
-- ARGV[3] key lifetime in ms (0: forever), ARGV[4] the project's channel, ARGV[5] the publishing node's name,
-- ARGV[6] the message log's length (approximate), ARGV[7] the project, ARGV[8] the project's recovery bytes at
-- most, ARGV[9] the idempotency window in ms; then for each event: the publishing node's clock (seconds,
-- nanoseconds), its idempotency key ('' for none), its topic and the event's body.
-- Returns, for each event, its head: "epoch offset seconds nanoseconds"; for a repeated idempotency key, the
-- first publish's "=topic\nhead", and the event is neither stored nor sent.
-- Each topic's hash is read once and written once per batch, whatever the number of its events in it.
local heads = {}
local ledger = KEYS[3]
local bytes = KEYS[4]
local idem = KEYS[5]
local idemExpiry = KEYS[6]
local maxEvents = tonumber(ARGV[2])
local maxBytes = tonumber(ARGV[8])
local window = tonumber(ARGV[9])
local count = (#KEYS - 6) / 2

-- Idempotency keys are decided here, with the position, so that every node answers a retry alike: a key seen
-- within the window (or earlier in this batch) makes its event a repeat. Expired keys leave a few at a time.
local clock = redis.call('TIME')
local nowMs = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', idemExpiry, '-inf', nowMs, 'LIMIT', 0, 64)
if #expired > 0 then
  redis.call('HDEL', idem, unpack(expired))
  redis.call('ZREM', idemExpiry, unpack(expired))
end
local repeatOf = {}
local firstInBatch = {}
local fresh = 0
for i = 1, count do
  local key = ARGV[9 + 5 * (i - 1) + 3]
  if key ~= '' then
    local seen = redis.call('HGET', idem, key)
    if seen then
      heads[i] = '=' .. seen
      repeatOf[i] = 0
    elseif firstInBatch[key] then
      repeatOf[i] = firstInBatch[key]
    else
      firstInBatch[key] = i
    end
  end
  if repeatOf[i] == nil then
    fresh = fresh + 1
  end
end
if fresh == 0 then
  return heads
end

-- Recovery bytes are kept per stream in the ledger and in all; both are updated once per topic per batch, and
-- trimming is Redis's own (XTRIM, exact), whose removed entries are counted at the stream's average size: exact
-- while a topic's events are alike in size, and never drifting far, since a trimmed stream's share is
-- re-read from what it still holds.
local function trimTo(stream, keep)
  local held = redis.call('XLEN', stream)
  local share = tonumber(redis.call('ZSCORE', ledger, stream) or '0')
  if held == 0 then
    -- Emptied, or expired with the key lifetime: whatever it was counted for is gone.
    redis.call('ZREM', ledger, stream)
    return redis.call('DECRBY', bytes, share)
  end
  local removed = redis.call('XTRIM', stream, 'MAXLEN', keep)
  if removed == 0 then
    return tonumber(redis.call('GET', bytes) or '0')
  end
  local freed = math.floor(share * removed / held)
  if held - removed == 0 then
    freed = share
  end
  redis.call('ZINCRBY', ledger, -freed, stream)
  return redis.call('DECRBY', bytes, freed)
end

-- Every published message has the next number of one cluster-wide sequence, and is logged under it: a node
-- that finds a number missing (it was disconnected, or dropped what it could not keep up with) reads the
-- missed messages back from the log, whichever topics they were about.
local seq = redis.call('INCR', KEYS[1])
local message = {ARGV[5] .. string.format(' %d\n', seq)}
local topics = {}
local order = {}
for i = 1, count do
  local meta = KEYS[2 * i + 5]
  local stream = KEYS[2 * i + 6]
  local a = 9 + 5 * (i - 1)
  if repeatOf[i] ~= nil then
    if repeatOf[i] > 0 then
      -- The same key earlier in this batch: that event's topic and head.
      heads[i] = '=' .. ARGV[9 + 5 * (repeatOf[i] - 1) + 4] .. '\n' .. heads[repeatOf[i]]
    end
  else
    local t = topics[meta]
    if t == nil then
      if redis.call('HSETNX', meta, 'e', ARGV[1]) == 1 then
        -- A new epoch: whatever a stream of an older one kept must not be read as this one's.
        trimTo(stream, 0)
        redis.call('DEL', stream)
      end
      local state = redis.call('HMGET', meta, 'e', 'o', 's', 'n')
      t = {stream = stream, epoch = state[1], offset = tonumber(state[2] or '0'),
           sec = tonumber(state[3] or '0'), ns = tonumber(state[4] or '0'), added = 0}
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
    local body = ARGV[a + 5]
    redis.call('XADD', stream, string.format('%d-0', t.offset), 'h', head, 'b', body, 'o', ARGV[5])
    t.added = t.added + #body
    message[#message + 1] = head .. string.format(' %d\n', #body) .. body
    heads[i] = head
    local key = ARGV[a + 3]
    if key ~= '' then
      redis.call('HSET', idem, key, ARGV[a + 4] .. '\n' .. head)
      redis.call('ZADD', idemExpiry, nowMs + window, key)
    end
  end
end
if next(firstInBatch) ~= nil then
  redis.call('PEXPIRE', idem, window)
  redis.call('PEXPIRE', idemExpiry, window)
end
local total = 0
for _, meta in ipairs(order) do
  local t = topics[meta]
  redis.call('ZINCRBY', ledger, t.added, t.stream)
  total = redis.call('INCRBY', bytes, t.added)
  total = trimTo(t.stream, maxEvents)
  redis.call('HSET', meta, 'o', string.format('%d', t.offset), 's', string.format('%d', t.sec),
      'n', string.format('%d', t.ns))
  if ARGV[3] ~= '0' then
    redis.call('PEXPIRE', meta, ARGV[3])
    redis.call('PEXPIRE', t.stream, ARGV[3])
  end
end
-- The project's bound: its largest stream gives up its oldest events, as many as the excess is worth at that
-- stream's average size; a few steps per call at most, so a call stays short.
for step = 1, 8 do
  if total <= maxBytes then
    break
  end
  local largest = redis.call('ZREVRANGE', ledger, 0, 0, 'WITHSCORES')
  if #largest == 0 then
    break
  end
  local held = redis.call('XLEN', largest[1])
  local share = tonumber(largest[2])
  local drop = held
  if share > 0 and held > 0 then
    drop = math.min(held, math.ceil((total - maxBytes) * held / share))
  end
  total = trimTo(largest[1], held - drop)
end
if ARGV[3] ~= '0' then
  redis.call('PEXPIRE', ledger, ARGV[3])
  redis.call('PEXPIRE', bytes, ARGV[3])
end
local published = table.concat(message)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], string.format('%d-0', seq), 'p', ARGV[7], 'm', published)
redis.call('PUBLISH', ARGV[4], published)
return heads
