-- Every request takes the next line of a pool file ("path<TAB>header value"), so each request can carry a
-- different user's token and job. wrk's threads take disjoint slices, so two threads never send the same
-- token close together (which would let T2M's verified-token cache answer the second).
local threads = 0
function setup(thread)
  thread:set("slice", threads)
  threads = threads + 1
end

function init(args)
  local file, header, slices = args[1], args[2], tonumber(args[3])
  pool = {}
  local i = 0
  for line in io.lines(file) do
    if i % slices == slice then
      local path, value = line:match("([^\t]+)\t(.+)")
      pool[#pool + 1] = wrk.format("GET", path, { [header] = value })
    end
    i = i + 1
  end
  n = 0
end

function request()
  n = n % #pool + 1
  return pool[n]
end
