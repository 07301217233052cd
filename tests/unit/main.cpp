// The unit tests' entry point: doctest's own main (run with --help for its
// options), plus a TAP reporter, so that meson counts each test case itself
// (`unit-tests --reporters=tap`, as tests/meson.build runs it).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

namespace {

// One "ok N - name" or "not ok N - name" line per test case, the failed
// assertions under it as "# " comments, and the plan ("1..N") at the end.
class TapReporter : public doctest::IReporter {
public:
    explicit TapReporter(const doctest::ContextOptions& options) : out_(*options.cout) {}

    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override { out_ << "1.." << count_ << std::endl; }
    void test_case_start(const doctest::TestCaseData& test) override {
        test_ = &test;
        notes_.clear();
    }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
        out_ << (stats.testCaseSuccess ? "ok " : "not ok ") << ++count_ << " - " << test_->m_name << "\n";
        for (const auto& note : notes_) out_ << "# " << note << "\n";
        out_.flush();
    }
    void test_case_exception(const doctest::TestCaseException& e) override {
        notes_.push_back(std::string("exception: ") + e.error_string.c_str());
    }
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& check) override {
        if (!check.m_failed) return;
        notes_.push_back(std::string(check.m_file) + ":" + std::to_string(check.m_line) + ": " +
                         check.m_expr + "  (values: " + check.m_decomp.c_str() + ")");
    }
    void log_message(const doctest::MessageData& message) override {
        notes_.push_back(std::string(message.m_file) + ":" + std::to_string(message.m_line) + ": " +
                         message.m_string.c_str());
    }
    void test_case_skipped(const doctest::TestCaseData&) override {}

private:
    std::ostream& out_;
    const doctest::TestCaseData* test_ = nullptr;
    std::vector<std::string> notes_;
    int count_ = 0;
};

}  // namespace

REGISTER_REPORTER("tap", 1, TapReporter);
