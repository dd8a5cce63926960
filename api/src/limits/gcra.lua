-- One charge against every limit of one (client, feature), atomically: the GCRA of
-- `quota.rs`, with Redis's clock so that replicas whose clocks differ still agree.
-- KEYS[1]: the client's hash, one field per limit holding its theoretical arrival time (ms).
-- ARGV: for each limit, its interval then its period, in milliseconds.
-- Returns { wait_ms, horizon_ms of each limit }: wait 0 means charged; otherwise nothing was.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limits = #ARGV / 2
local fields, tats, intervals = {}, {}, {}
local wait = 0
for i = 1, limits do
  local interval = tonumber(ARGV[2 * i - 1])
  local period = tonumber(ARGV[2 * i])
  fields[i] = ARGV[2 * i - 1] .. '/' .. ARGV[2 * i]
  intervals[i] = interval
  local tat = tonumber(redis.call('HGET', KEYS[1], fields[i])) or now
  if tat < now then tat = now end
  tats[i] = tat
  local until_fits = tat - (period - interval) - now
  if until_fits > wait then wait = until_fits end
end
if wait == 0 then
  local longest = 0
  for i = 1, limits do
    tats[i] = tats[i] + intervals[i]
    -- As an integer: a number would be written as 1.7e+12 past 14 digits.
    redis.call('HSET', KEYS[1], fields[i], string.format('%.0f', tats[i]))
    if tats[i] - now > longest then longest = tats[i] - now end
  end
  -- Once every cell is back to now, the key says nothing a missing one would not.
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', longest))
end
local answer = { wait }
for i = 1, limits do answer[i + 1] = tats[i] - now end
return answer
