// get-poetry-broken: the reactor client, broken on purpose (Part 4's
// twisted-client-1/get-poetry-broken.py).
//
// Identical to async-client/get-poetry.cpp but for the chapter's two
// differences: the socket is left blocking, and doRead reads until the end
// of stream. So each doRead blocks the whole reactor until its poem is
// done. On the chapter's small poems it still finishes in about the slowest
// server's time (the kernel buffers the other servers' bytes meanwhile);
// on poems larger than those buffers it is no faster than the blocking
// client. `diff async-client/get-poetry.cpp broken-client/get-poetry-broken.cpp`
//
//   build/broken-client/get-poetry-broken 10000 10001 10002
#include "address.hpp"
#include "cli.hpp"
#include "net.hpp"
#include "output.hpp"
#include "reactor.hpp"
#include "timedelta.hpp"

#include <memory>
#include <vector>

namespace {

// Provides IReadDescriptor (doRead) and so IFileDescriptor (fileno,
// connectionLost) and ILoggingContext (logPrefix): all that addReader needs.
class PoetrySocket final : public lab::IReadDescriptor {
public:
    PoetrySocket(lab::Reactor& reactor, int task_num, lab::Address address)
        : reactor_(reactor), task_num_(task_num), address_(std::move(address)),
          sock_(lab::connect_to(address_)) {  // a plain, blocking connect
        // Difference 1: no set_nonblocking(sock_) here, so recv() may wait.
        // tell the reactor to watch this socket for reading
        reactor_.addReader(this);
    }

    // Leaving early (an exception in main) must not leave the reactor
    // watching a closed descriptor. After connectionLost this does nothing.
    ~PoetrySocket() override { reactor_.removeReader(this); }

    int fileno() const override { return sock_.fileno(); }

    void connectionLost(const lab::Failure& reason) override {
        if (!reason.clean())  // the poem is cut short: say so, and how
            lab::say("Task ", task_num_, ": ", reason.message);
        sock_.close();
        // stop watching this socket (the reactor already has: no harm)
        reactor_.removeReader(this);
        // see if there are any poetry sockets left
        for (lab::IReadDescriptor* reader : reactor_.getReaders())
            if (dynamic_cast<PoetrySocket*>(reader) != nullptr) return;
        reactor_.stop();  // no more poetry
    }

    lab::ReadResult doRead() override {
        std::size_t bytes = 0;
        for (;;) {
            lab::Received got = lab::receive(sock_, poem_);
            // Difference 2: no "would block, give the loop back": read to the end.
            if (got.kind == lab::Received::Failed) {
                if (bytes > 0) lab::say_got(task_num_, bytes, address_);  // report all we kept
                return lab::CONNECTION_LOST.because("lost the connection to " + format_addr() +
                                                    ": " + got.reason());
            }
            if (got.kind == lab::Received::EndOfStream) break;
            bytes += got.count;
        }
        if (bytes == 0) {
            lab::say_finished(task_num_, address_);  // Task 1 finished
            return lab::CONNECTION_DONE;
        }
        lab::say_got(task_num_, bytes, address_);  // Task 1: got 30 bytes of poetry from ...
        return std::nullopt;  // keep reading
    }

    // The chapter's returns 'poetry'; ours names the task, because the
    // reactor's --slow-callback warning starts with it.
    std::string logPrefix() const override { return "Task " + std::to_string(task_num_); }

    std::string format_addr() const { return lab::format_address(address_); }
    const lab::ByteBuffer& poem() const { return poem_; }

private:
    lab::Reactor& reactor_;
    int task_num_;
    lab::Address address_;
    lab::Socket sock_;
    lab::ByteBuffer poem_;
};

}  // namespace

int main(int argc, char** argv) try {
    lab::Options options = lab::parse_args(argc, argv);
    auto start = lab::Clock::now();

    lab::Reactor reactor(options);  // the chapter's `from twisted.internet import reactor`
    std::vector<std::unique_ptr<PoetrySocket>> sockets;
    for (std::size_t i = 0; i < options.addresses.size(); ++i)
        sockets.push_back(std::make_unique<PoetrySocket>(reactor, static_cast<int>(i + 1),
                                                         options.addresses[i]));
    reactor.run();

    auto elapsed = lab::Clock::now() - start;
    for (std::size_t i = 0; i < sockets.size(); ++i)
        lab::say_poem_size(static_cast<int>(i + 1), sockets[i]->poem().size());  // Task 1: 3003 bytes of poetry
    return lab::say_got_poems(options, elapsed);  // Got 3 poems in 0:00:10.134220
} catch (...) {
    return lab::report_error();  // one line on stderr, "get-poetry: error: ...", and exit status 1
}
