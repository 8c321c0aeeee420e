-- wrk script of bench/run.py: counts the page cache's answers (the X-Page-Cache header,
-- "hit" or "miss", core/pagecache.py) and every answer other than 200, then prints one
-- line that run.py reads:  page-cache hit=… miss=… none=… not200=…
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   hit, miss, none, not200 = 0, 0, 0, 0
end

function response(status, headers, body)
   if status ~= 200 then
      not200 = not200 + 1
   end
   local value = headers["X-Page-Cache"] or headers["x-page-cache"]
   if value == "hit" then
      hit = hit + 1
   elseif value == "miss" then
      miss = miss + 1
   else
      none = none + 1
   end
end

function done(summary, latency, requests)
   local total = { hit = 0, miss = 0, none = 0, not200 = 0 }
   for _, thread in ipairs(threads) do
      for name, _ in pairs(total) do
         total[name] = total[name] + thread:get(name)
      end
   end
   io.write(string.format("page-cache hit=%d miss=%d none=%d not200=%d\n",
      total.hit, total.miss, total.none, total.not200))
end
