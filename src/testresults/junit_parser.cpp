#include "testresults/junit_parser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <pugixml.hpp>

#include "testresults/junit_time.h"

namespace halo::testresults {
namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string megabytes(std::size_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// All character data directly inside `node` (text and CDATA sections alike): tools split a
// body across several CDATA sections when it contains "]]>".
std::string text_of(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string normalise_file(std::string file, const std::string& working_directory) {
  if (!working_directory.empty()) {
    std::string prefix = working_directory;
    if (prefix.back() != '/') prefix += '/';
    if (file.rfind(prefix, 0) == 0) file.erase(0, prefix.size());
  }
  while (file.rfind("./", 0) == 0) file.erase(0, 2);
  return file;
}

// `s` with every run of whitespace made one space, for comparing texts that tools indent
// differently.
std::string squeeze_spaces(std::string_view s) {
  std::string out;
  bool in_space = false;
  for (char c : trim(s)) {
    bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space && in_space) continue;
    out += space ? ' ' : c;
    in_space = space;
  }
  return out;
}

// One <failure>, <error> or <skipped> as text: the body alone when it already says the
// message (pytest and rspec repeat it, indented differently), else the message then the body.
std::string describe(pugi::xml_node outcome) {
  std::string message(trim(outcome.attribute("message").value()));
  std::string body(trim(text_of(outcome)));
  if (body.empty()) return message;
  if (message.empty()) return body;
  if (squeeze_spaces(body).find(squeeze_spaces(message)) != std::string::npos) return body;
  return message + "\n" + body;
}

void append_paragraph(std::string& to, const std::string& text) {
  if (text.empty()) return;
  if (!to.empty()) to += "\n\n";
  to += text;
}

TestCase read_case(pugi::xml_node tc, const std::string& inherited_file,
                   const std::string& suite_name, const ParseOptions& options) {
  TestCase t;
  t.name = tc.attribute("name").value();
  t.classname = tc.attribute("classname").value();
  if (t.classname.empty()) t.classname = tc.attribute("class").value();
  if (t.classname.empty()) t.classname = suite_name;
  std::string file = tc.attribute("file").value();
  t.file = normalise_file(file.empty() ? inherited_file : file, options.working_directory);
  t.run_time = parse_junit_time(tc.attribute("time").value());
  t.source = options.source;

  bool failed = false, skipped = false;
  std::string failure_text, skip_text;
  for (pugi::xml_node child : tc.children()) {
    std::string_view name = child.name();
    if (name == "failure" || name == "error") {
      failed = true;
      append_paragraph(failure_text, describe(child));
    } else if (name == "skipped") {
      skipped = true;
      append_paragraph(skip_text, describe(child));
    } else if (name == "system-out") {
      std::string out = text_of(child);
      if (!trim(out).empty()) t.system_out = t.system_out.value_or("") + out;
    }
    // Surefire's flakyFailure/flakyError (passed on a rerun) and rerunFailure/rerunError
    // (accompany a <failure>) change nothing on their own.
  }
  if (failed) {
    t.result = TestResult::Failure;
    if (!failure_text.empty()) t.message = failure_text;
  } else if (skipped) {
    t.result = TestResult::Skipped;
    if (!skip_text.empty()) t.message = skip_text;
  }
  return t;
}

bool is_suite(std::string_view name) {
  return name == "testsuite" || name == "testsuites";
}

// Walks suites with an explicit stack rather than recursion, so that a hostile document
// nested a million levels deep cannot exhaust the call stack.
std::vector<TestCase> collect(pugi::xml_node root, const ParseOptions& options) {
  struct Level {
    pugi::xml_node next;  // the next child to visit
    std::string file;     // the file the enclosing suites give their cases
    std::string suite_name;
  };
  std::vector<TestCase> tests;
  std::vector<Level> stack;
  stack.push_back(
      {root.first_child(), root.attribute("file").value(), root.attribute("name").value()});
  while (!stack.empty()) {
    Level& top = stack.back();
    if (!top.next) {
      stack.pop_back();
      continue;
    }
    pugi::xml_node node = top.next;
    top.next = node.next_sibling();
    std::string_view name = node.name();
    if (name == "testcase") {
      tests.push_back(read_case(node, top.file, top.suite_name, options));
    } else if (is_suite(name)) {
      std::string file = node.attribute("file").value();
      std::string suite_name = node.attribute("name").value();
      Level inner{node.first_child(), file.empty() ? top.file : file,
                  suite_name.empty() ? top.suite_name : suite_name};
      stack.push_back(std::move(inner));  // `top` is not used past this point
    }
  }
  return tests;
}

// 1-based line and column of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

ParseResult failure(std::string message, std::size_t line = 0, std::size_t column = 0) {
  ParseResult r;
  r.error = ParseError{std::move(message), line, column};
  return r;
}

}  // namespace

ParseResult parse_junit(std::string_view xml, const ParseOptions& options) {
  if (xml.size() > options.max_bytes) {
    return failure(fmt::format("test results are {}, more than the limit of {}",
                               megabytes(xml.size()), megabytes(options.max_bytes)));
  }
  if (trim(xml).empty()) return failure("test results are empty: expected JUnit XML");
  try {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed =
        doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
    if (!parsed) {
      auto [line, column] = position(xml, static_cast<std::size_t>(parsed.offset));
      return failure(fmt::format("malformed XML at line {}, column {}: {}", line, column,
                                 parsed.description()),
                     line, column);
    }
    pugi::xml_node root = doc.document_element();
    if (!is_suite(root.name())) {
      return failure(fmt::format(
          "not a JUnit report: the root element is <{}>, expected <testsuites> or <testsuite>",
          root.name()));
    }
    ParseResult r;
    r.tests = collect(root, options);
    return r;
  } catch (const std::bad_alloc&) {
    return failure("test results are too large to parse in the memory available");
  }
}

ParseResult parse_junit_file(const std::filesystem::path& path, const ParseOptions& options) {
  auto named = [&](ParseResult r) {
    if (r.error) r.error->message = path.string() + ": " + r.error->message;
    return r;
  };
  // O_NONBLOCK: opening a FIFO someone left in the results directory must not hang the step.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return named(failure(std::string("cannot open: ") + std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return named(failure(std::string("cannot stat: ") + std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return named(failure("not a regular file"));
  if (static_cast<std::size_t>(st.st_size) > options.max_bytes) {
    return named(failure(fmt::format("test results are {}, more than the limit of {}",
                                     megabytes(st.st_size), megabytes(options.max_bytes))));
  }
  std::string data;
  try {
    data.resize(static_cast<std::size_t>(st.st_size));
  } catch (const std::bad_alloc&) {
    return named(failure("test results are too large to read in the memory available"));
  }
  std::size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return named(failure(std::string("cannot read: ") + std::strerror(errno)));
    if (n == 0) break;  // the file shrank while we read it: parse what is there
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);
  return named(parse_junit(data, options));
}

}  // namespace halo::testresults
