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
#include "stop.hpp"
#include "timedelta.hpp"
#include "trace.hpp"

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
    std::string lost;  // why the poem was cut short, if it was
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
        // pselect: select() that lets Ctrl-C in only while it waits (stop.hpp).
        if (pselect(highest + 1, &rlist, nullptr, nullptr, nullptr, lab::stop_wait_mask()) < 0) {
            if (errno != EINTR) throw lab::Error(std::string("select failed: ") + std::strerror(errno));
            if (lab::stop_requested()) return;  // keep what arrived; main reports it
            continue;
        }

        for (Task* task : std::vector<Task*>(waiting)) {
            if (!FD_ISSET(task->sock.fileno(), &rlist)) continue;
            lab::trace::callback_started("read");
            // Read everything the socket has right now, without blocking.
            std::size_t bytes = 0;
            for (;;) {
                lab::Received got = lab::receive(task->sock, task->poem);
                if (got.kind == lab::Received::WouldBlock || got.kind == lab::Received::EndOfStream)
                    break;
                if (got.kind == lab::Received::Failed) {
                    task->lost = "lost the connection to " + lab::format_address(task->address) +
                                 ": " + got.reason();
                    break;
                }
                bytes += got.count;
            }
            if (bytes > 0)
                lab::say_got(task->num, bytes, lab::format_address(task->address));
            if (!task->lost.empty()) {
                std::erase(waiting, task);
                task->sock.close();
                lab::say("Task ", task->num, ": ", task->lost);
            } else if (bytes == 0) {
                std::erase(waiting, task);
                task->sock.close();
                lab::say_finished(task->num);
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    // run_client reads the command line and puts --connect-timeout, --quiet,
    // --count-only and --trace in effect.
    return lab::run_client(argc, argv, lab::kSelectLimit, [&](const lab::ClientOptions& options) {
        lab::catch_stop_signals();
        auto start = lab::Clock::now();

        std::vector<Task> tasks;
        for (std::size_t i = 0; i < options.addresses.size(); ++i)
            tasks.push_back(Task{static_cast<int>(i + 1), options.addresses[i],
                                 connect(options.addresses[i]), {}, {}});
        get_poetry(tasks);

        auto elapsed = lab::Clock::now() - start;
        std::size_t finished = 0;
        for (const Task& task : tasks) {
            lab::say_poem_size(task.num, task.poem.size());
            if (task.lost.empty() && !task.sock.is_open()) ++finished;  // the whole poem arrived
        }
        // "Got 3 poems in ...", or after Ctrl-C "Interrupted: got 1 of 3 poems in ..."
        lab::say_got_poems(options.addresses.size(), finished, elapsed);
        // Exit status 1 when a poem was cut short, so scripts can tell.
        return std::any_of(tasks.begin(), tasks.end(), [](const Task& t) { return !t.lost.empty(); }) ? 1 : 0;
    });
}
