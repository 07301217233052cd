// A solution of exercise 2 (Part 4, "Suggested Exercises"): "Use callLater
// to make the client time out if a poem has not finished after a given
// interval. Read about the return value of callLater so you can cancel the
// timeout if the poem finishes on time."
//
// Each PoetrySocket arms its own timer with reactor.callLater once its
// connection is made, and keeps the DelayedCall that callLater returns.
// When the timer fires first, the poem is given up like a lost connection
// (removeReader, then connectionLost with "timed out after SECONDS
// seconds"); when the poem ends first, cleanly or not, connectionLost
// cancels the timer. Nothing ever waits inside a callback.
//
//   build/solutions/timeout/get-poetry --timeout 8 10000 10001 10002
//
// `diff exercises/timeout/get-poetry.cpp solutions/timeout/get-poetry.cpp`
// shows the exercise; exercises/timeout/README.md lists what is checked.
#include "address.hpp"
#include "cli.hpp"
#include "net.hpp"
#include "output.hpp"
#include "reactor.hpp"
#include "timedelta.hpp"

#include <memory>
#include <optional>
#include <sstream>
#include <vector>

namespace {

// Provides IReadDescriptor (doRead) and so IFileDescriptor (fileno,
// connectionLost) and ILoggingContext (logPrefix): all that addReader needs.
class PoetrySocket final : public lab::IReadDescriptor {
public:
    PoetrySocket(lab::Reactor& reactor, int task_num, lab::Address address,
                 std::optional<double> timeout)
        : reactor_(reactor), task_num_(task_num), address_(std::move(address)),
          sock_(lab::connect_to(address_)) {  // a plain, blocking connect
        lab::set_nonblocking(sock_);  // from now on recv never waits
        // tell the reactor to watch this socket for reading
        reactor_.addReader(this);
        // The clock starts once we are connected and runs to the end of the
        // poem, whatever arrives meanwhile. Keep the DelayedCall: it is how
        // connectionLost cancels the timeout when the poem makes it in time.
        if (timeout) {
            timeout_ = reactor_.callLater(*timeout, [this, seconds = *timeout] {
                std::ostringstream why;
                why << "timed out after " << seconds << " seconds";
                // Like a lost connection: out of the reactor, then connectionLost.
                reactor_.removeReader(this);
                connectionLost(lab::CONNECTION_LOST.because(why.str()));
            });
        }
    }

    // Leaving early (an exception in main) must not leave the reactor
    // watching a closed descriptor. After connectionLost this does nothing.
    ~PoetrySocket() override { reactor_.removeReader(this); }

    int fileno() const override { return sock_.fileno(); }

    void connectionLost(const lab::Failure& reason) override {
        // Finished (or failed) before the timeout: it must not fire later.
        if (timeout_ && timeout_->active()) timeout_->cancel();
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
            if (got.kind == lab::Received::WouldBlock) break;  // all there is, for now
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
    std::shared_ptr<lab::DelayedCall> timeout_;  // what callLater returned
};

}  // namespace

int main(int argc, char** argv) try {
    lab::Options options = lab::parse_args(argc, argv);
    auto start = lab::Clock::now();

    lab::Reactor reactor(options);  // the chapter's `from twisted.internet import reactor`
    std::vector<std::unique_ptr<PoetrySocket>> sockets;
    for (std::size_t i = 0; i < options.addresses.size(); ++i)
        sockets.push_back(std::make_unique<PoetrySocket>(reactor, static_cast<int>(i + 1),
                                                         options.addresses[i], options.timeout));
    reactor.run();

    auto elapsed = lab::Clock::now() - start;
    for (std::size_t i = 0; i < sockets.size(); ++i)
        lab::say_poem_size(static_cast<int>(i + 1), sockets[i]->poem().size());  // Task 1: 3003 bytes of poetry
    return lab::say_got_poems(options, elapsed);  // Got 3 poems in 0:00:10.134220
} catch (...) {
    return lab::report_error();  // one line on stderr, "get-poetry: error: ...", and exit status 1
}
