// get-poetry-select: the Get Poetry Now! client, select() edition (Part 2's
// async-client/get-poetry.py, which Part 4 compares its reactor client to).
//
// The same work as the reactor client, with the loop written out by hand:
// select() over every socket still waiting for poetry, read what each ready
// one has without blocking, repeat. The reactor client's doRead is the body
// of this loop; libevent's event_base is the loop itself.
//
//   build/async-client/get-poetry-select 10000 10001 10002
#include "address.hpp"
#include "cli.hpp"
#include "net.hpp"
#include "output.hpp"
#include "timedelta.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <sys/select.h>

namespace {

struct Task {
    int num;
    lab::Address address;
    lab::Socket sock;
    lab::ByteBuffer poem;
};

lab::Socket connect(const lab::Address& address) {
    lab::Socket sock = lab::connect_to(address);
    // FD_SET on a descriptor at or past FD_SETSIZE writes outside the
    // fd_set: memory corruption, not an error. select() cannot watch it.
    if (sock.fileno() >= FD_SETSIZE)
        throw lab::Error("descriptor " + std::to_string(sock.fileno()) + " for " +
                         lab::format_address(address) + " is at or above FD_SETSIZE (" +
                         std::to_string(FD_SETSIZE) +
                         "): select() cannot watch it; use the reactor client for this many servers");
    lab::set_nonblocking(sock);
    return sock;
}

void get_poetry(std::vector<Task>& tasks) {
    std::vector<Task*> waiting;
    for (Task& task : tasks) waiting.push_back(&task);

    while (!waiting.empty()) {
        // Block until at least one socket has something for us.
        fd_set rlist;
        FD_ZERO(&rlist);
        int highest = -1;
        for (Task* task : waiting) {
            FD_SET(task->sock.fileno(), &rlist);
            highest = std::max(highest, task->sock.fileno());
        }
        if (select(highest + 1, &rlist, nullptr, nullptr, nullptr) < 0) {
            if (errno == EINTR) return;  // Ctrl-C: stop waiting; main reports what arrived
            throw lab::Error(std::string("select failed: ") + std::strerror(errno));
        }

        for (Task* task : std::vector<Task*>(waiting)) {
            if (!FD_ISSET(task->sock.fileno(), &rlist)) continue;
            // Read everything the socket has right now, without blocking.
            std::size_t bytes = 0;
            std::string lost;
            for (;;) {
                lab::Received got = lab::receive(task->sock, task->poem);
                if (got.kind == lab::Received::WouldBlock || got.kind == lab::Received::EndOfStream)
                    break;
                if (got.kind == lab::Received::Failed) {
                    lost = "lost the connection to " + lab::format_address(task->address) + ": " + got.reason();
                    break;
                }
                bytes += got.count;
            }
            if (bytes > 0) lab::say_got(task->num, bytes, task->address);
            if (!lost.empty() || bytes == 0) {  // the poem is over, or cut short
                std::erase(waiting, task);
                task->sock.close();
                if (lost.empty())
                    lab::say_finished(task->num, task->address);
                else
                    lab::say("Task ", task->num, ": ", lost);
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) try {
    lab::Options options = lab::parse_args(argc, argv);
    auto start = lab::Clock::now();

    std::vector<Task> tasks;
    for (std::size_t i = 0; i < options.addresses.size(); ++i)
        tasks.push_back(Task{static_cast<int>(i + 1), options.addresses[i], connect(options.addresses[i]), {}});
    get_poetry(tasks);

    auto elapsed = lab::Clock::now() - start;
    for (const Task& task : tasks) lab::say_poem_size(task.num, task.poem.size());  // Task 1: 3003 bytes of poetry
    return lab::say_got_poems(options, elapsed);  // Got 3 poems in 0:00:10.134220
} catch (...) {
    return lab::report_error();  // one line on stderr, "get-poetry-select: error: ...", and exit status 1
}
