-- wrk script for the add benchmark: POSTs an add whose value differs on every
-- request, so the emulator stores each action instead of replying 409.
-- BENCH_ADD_PATH (environment) is the request path.

local next_thread_id = 1

function setup(thread)
    thread:set("thread_id", next_thread_id)
    next_thread_id = next_thread_id + 1
end

function init(arguments)
    path = os.getenv("BENCH_ADD_PATH")
    counter = 0
    headers = { ["Content-Type"] = "application/json" }
end

function request()
    counter = counter + 1
    local body = string.format('{"type": "reaction", "value": "v%d-%08d"}', thread_id, counter)
    return wrk.format("POST", path, headers, body)
end
