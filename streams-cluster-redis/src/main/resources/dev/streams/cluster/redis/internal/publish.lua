-- Positions a batch of events of one project and sends it to every node, atomically.
-- KEYS: for each event, the topic's meta hash then its recovery stream (all in the project's hash slot).
-- ARGV[1] a candidate epoch for topics that have none, ARGV[2] recovery stream length (approximate),
-- ARGV[3] key lifetime in ms (0: forever), ARGV[4] the project's channel;
-- then for each event: the publishing node's clock (seconds, nanoseconds) and the event's body.
-- Returns, for each event, its head: "epoch offset seconds nanoseconds".
local heads = {}
local message = {}
for i = 1, #KEYS / 2 do
  local meta = KEYS[2 * i - 1]
  local stream = KEYS[2 * i]
  local a = 4 + 3 * (i - 1)
  if redis.call('HSETNX', meta, 'e', ARGV[1]) == 1 then
    -- A new epoch: whatever a stream of an older one kept must not be read as this one's.
    redis.call('DEL', stream)
  end
  local state = redis.call('HMGET', meta, 'e', 's', 'n')
  local sec = tonumber(ARGV[a + 1])
  local ns = tonumber(ARGV[a + 2])
  local lastSec = tonumber(state[2] or '0')
  local lastNs = tonumber(state[3] or '0')
  -- Timestamps rise strictly within a topic. Seconds and nanoseconds apart, since Lua numbers are doubles.
  if sec < lastSec or (sec == lastSec and ns <= lastNs) then
    sec = lastSec
    ns = lastNs + 1
    if ns >= 1000000000 then
      sec = sec + 1
      ns = 0
    end
  end
  local offset = redis.call('HINCRBY', meta, 'o', 1)
  redis.call('HSET', meta, 's', string.format('%d', sec), 'n', string.format('%d', ns))
  local head = state[1] .. string.format(' %d %d %d', offset, sec, ns)
  local body = ARGV[a + 3]
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[2], string.format('%d-0', offset), 'h', head, 'b', body)
  if ARGV[3] ~= '0' then
    redis.call('PEXPIRE', meta, ARGV[3])
    redis.call('PEXPIRE', stream, ARGV[3])
  end
  message[#message + 1] = head .. string.format(' %d\n', #body) .. body
  heads[i] = head
end
redis.call('PUBLISH', ARGV[4], table.concat(message))
return heads
