#include "config/yaml_writer.h"

#include <array>
#include <cassert>
#include <charconv>

namespace halo::config {

namespace {

// Keys longer than this go in the explicit `? key` form: YAML limits implicit keys to 1024
// characters and yaml-cpp counts bytes (quotes included).
constexpr size_t kMaxImplicitKey = 1000;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (lower(s[i]) != lower_word[i]) return false;
  }
  return true;
}

// The length of the UTF-8 sequence at s[i] and its code point; 0 when it is not UTF-8
// (overlong forms, surrogates and truncated sequences included).
size_t decode_utf8(std::string_view s, size_t i, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    cp = b & 0x0F;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    cp = b & 0x07;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    unsigned char c = byte(i + k);
    if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  return len;
}

// Code points that are not printable in YAML, or that a YAML 1.1 reader takes for line breaks
// (NEL, LS, PS) or a byte order mark.
bool is_special_code_point(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
         cp == 0xFFFE || cp == 0xFFFF;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool looks_like_number(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::string_view t = s.substr(i);
  if (t.empty()) return false;
  if (iequals(t, ".inf") || iequals(t, ".nan")) return true;
  if (t.size() > 2 && t[0] == '0') {
    std::string_view rest = t.substr(2);
    switch (lower(t[1])) {
      case 'x':
        return all_of(rest, [](char c) {
          return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f') || c == '_';
        });
      case 'o':
        return all_of(rest, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
      case 'b':
        return all_of(rest, [](char c) { return c == '0' || c == '1' || c == '_'; });
      default:
        break;
    }
  }
  std::string_view mantissa = t;
  size_t e = t.find_first_of("eE");
  if (e != std::string_view::npos) {
    mantissa = t.substr(0, e);
    std::string_view exponent = t.substr(e + 1);
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
    if (!all_of(exponent, is_digit)) return false;
  }
  if (mantissa.empty() || !(is_digit(mantissa[0]) || mantissa[0] == '.')) return false;
  // More than one dot ("15.4.0", "127.0.0.1") is no number to YAML 1.2 or to common YAML 1.1
  // readers (the 1.1 spec's float pattern would allow it; no reader we know follows it).
  bool digit = false;
  int dots = 0;
  for (char c : mantissa) {
    if (is_digit(c)) {
      digit = true;
    } else if (c == '.') {
      ++dots;
    } else if (c != '_' && c != ':') {
      return false;
    }
  }
  return digit && dots <= 1;
}

bool looks_like_timestamp(std::string_view s) {
  return s.size() >= 6 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
         s[4] == '-' && is_digit(s[5]);
}

bool is_reserved_word(std::string_view s) {
  if (s.size() > 5) return false;
  for (std::string_view w :
       {"~", "null", "y", "n", "yes", "no", "true", "false", "on", "off", "<<", "="}) {
    if (iequals(s, w)) return true;
  }
  return false;
}

// The bytes choose_style looks at: controls, DEL, non-ASCII, ':' and '#'.
constexpr auto kNeedsLook = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  for (int c = 0x7F; c < 0x100; ++c) t[c] = true;
  t[':'] = t['#'] = true;
  return t;
}();

bool is_indicator(char c) {
  switch (c) {
    case '-':
    case '?':
    case ':':
    case ',':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`':
      return true;
    default:
      return false;
  }
}

// "-", "?" and ":" start a plain scalar when a non-space follows ("-Xmx3g", "--verbose").
bool starts_with_indicator(std::string_view s) {
  char c = s.front();
  if ((c == '-' || c == '?' || c == ':') && s.size() > 1 && s[1] != ' ') return false;
  return is_indicator(c);
}

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// One line, escaped. Bytes that are not UTF-8 are copied as they are: an escape would stand
// for a code point, and yaml-cpp reads such bytes back unchanged.
void append_double_quoted(std::string& out, std::string_view s) {
  out += '"';
  size_t run = 0;  // start of the pending stretch copied verbatim
  auto flush = [&](size_t i) { out.append(s.data() + run, i - run); };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      char32_t cp = 0;
      size_t len = decode_utf8(s, i, cp);
      if (len == 0 || !is_special_code_point(cp)) {
        i += len == 0 ? 1 : len;
        continue;
      }
      flush(i);
      append_hex(out, "\\u", static_cast<unsigned>(cp), 4);
      i += len;
      run = i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        append_hex(out, "\\x", c, 2);
        break;
    }
    ++i;
    run = i;
  }
  flush(s.size());
  out += '"';
}

}  // namespace

ScalarStyle choose_style(std::string_view s, ScalarContext context) {
  // One pass over the bytes collects everything the rules look at; most bytes need no look.
  bool printable = true;  // no controls but \n and tab, no special code points, all UTF-8
  bool newline = false;
  bool tab = false;
  bool ambiguous = false;  // ": ", " #", or (in flow) a flow indicator
  if (context == ScalarContext::Flow && s.find_first_of(",[]{}:#") != std::string_view::npos) {
    ambiguous = true;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kNeedsLook[c]) continue;
    if (c == '\n') {
      newline = true;
    } else if (c == '\t') {
      tab = true;
    } else if (c == ':') {
      if (i + 1 < s.size() && s[i + 1] == ' ') ambiguous = true;
    } else if (c == '#') {
      if (i > 0 && s[i - 1] == ' ') ambiguous = true;
    } else if (c >= 0x80) {
      char32_t cp = 0;
      size_t len = decode_utf8(s, i, cp);
      if (len == 0 || is_special_code_point(cp)) {
        printable = false;
      } else {
        i += len - 1;
      }
    } else {
      printable = false;  // the other controls and DEL
    }
  }
  if (!printable || newline) {
    bool literal = printable && newline && context == ScalarContext::Value;
    return literal ? ScalarStyle::Literal : ScalarStyle::DoubleQuoted;
  }
  bool plain = !s.empty() && !tab && !ambiguous && s.front() != ' ' && s.back() != ' ' &&
               s.back() != ':' && !starts_with_indicator(s) && s.substr(0, 3) != "---" &&
               s.substr(0, 3) != "..." && !is_reserved_word(s) && !looks_like_number(s) &&
               !looks_like_timestamp(s);
  return plain ? ScalarStyle::Plain : ScalarStyle::DoubleQuoted;
}

YamlWriter::YamlWriter() {
  frames_.reserve(16);
}

int YamlWriter::start_node() {
  if (frames_.empty()) return -2;  // the document: its entries at column 0
  Frame& f = frames_.back();
  if (f.map) {
    assert(after_key_ && "a map value needs a key first");
    after_key_ = false;
    return f.indent;
  }
  start_entry(f);
  out_ += '-';
  return f.indent;
}

void YamlWriter::start_entry(Frame& f) {
  if (f.entries == 0 && f.compact) {
    if (!out_.empty()) out_ += ' ';  // after "- "; the document's first entry starts the text
  } else {
    out_ += '\n';
    out_.append(static_cast<size_t>(f.indent), ' ');
  }
  ++f.entries;
}

void YamlWriter::begin_map() {
  bool compact = frames_.empty() || !frames_.back().map;
  int parent = start_node();
  frames_.push_back({true, compact, parent + 2, 0});
}

void YamlWriter::begin_seq() {
  bool compact = frames_.empty() || !frames_.back().map;
  int parent = start_node();
  frames_.push_back({false, compact, parent + 2, 0});
}

void YamlWriter::end_collection(bool map) {
  assert(!frames_.empty() && frames_.back().map == map && "unbalanced end_map/end_seq");
  assert(!after_key_ && "a key without a value");
  if (frames_.back().entries == 0) {
    if (!out_.empty()) out_ += ' ';
    out_ += map ? "{}" : "[]";
  }
  frames_.pop_back();
}

void YamlWriter::end_map() {
  end_collection(true);
}

void YamlWriter::end_seq() {
  end_collection(false);
}

void YamlWriter::key(std::string_view k) {
  assert(!frames_.empty() && frames_.back().map && !after_key_ && "a key outside a map");
  Frame& f = frames_.back();
  start_entry(f);
  size_t start = out_.size();
  if (choose_style(k, ScalarContext::Key) == ScalarStyle::Plain) {
    out_ += k;
  } else {
    append_double_quoted(out_, k);
  }
  if (out_.size() - start > kMaxImplicitKey) {
    out_.insert(start, "? ");
    out_ += '\n';
    out_.append(static_cast<size_t>(f.indent), ' ');
  }
  out_ += ':';
  after_key_ = true;
}

void YamlWriter::scalar(std::string_view s, ScalarContext context) {
  bool root = frames_.empty();
  int parent = start_node();
  if (!root) out_ += ' ';
  switch (choose_style(s, context)) {
    case ScalarStyle::Plain:
      out_ += s;
      break;
    case ScalarStyle::Literal:
      // A document-level block scalar would be indented relative to column -1; the
      // double-quoted form spares that case.
      if (!root) {
        literal(s, parent + 2);
        break;
      }
      [[fallthrough]];
    case ScalarStyle::DoubleQuoted:
      append_double_quoted(out_, s);
      break;
  }
}

// The content lines at `indent`, empty lines without indentation. Every line but the last
// ends where the next line starts; the writer's next line break ends the last one.
void YamlWriter::literal(std::string_view s, int indent) {
  out_ += '|';
  // Content that begins with a space (after any lines that hold only spaces) would be taken
  // for deeper indentation: say the indentation instead.
  size_t first = s.find_first_not_of(" \n");
  if (s.substr(0, first).find(' ') != std::string_view::npos) out_ += '2';
  size_t trailing = s.size() - (s.find_last_not_of('\n') + 1);
  if (trailing == 0) {
    out_ += '-';  // strip: no final line break
  } else if (trailing > 1 || s.size() == trailing) {
    out_ += '+';  // keep: the trailing empty lines (or the only ones) belong to the string
  }
  // Clip (the default) keeps exactly one final line break.
  std::string_view body = s.substr(0, s.size() - (trailing > 0 ? 1 : 0));
  size_t pos = 0;
  while (true) {
    size_t end = body.find('\n', pos);
    std::string_view line = body.substr(pos, end == std::string_view::npos ? end : end - pos);
    out_ += '\n';
    if (!line.empty()) {
      out_.append(static_cast<size_t>(indent), ' ');
      out_ += line;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
}

void YamlWriter::value(std::string_view s) {
  scalar(s, ScalarContext::Value);
}

void YamlWriter::boolean(bool b) {
  raw(b ? "true" : "false");
}

void YamlWriter::integer(int64_t i) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
  (void)ec;
  raw(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void YamlWriter::raw(std::string_view text) {
  if (!frames_.empty()) {
    start_node();
    out_ += ' ';
  }
  out_ += text;
}

void YamlWriter::flow_seq(const std::vector<std::string>& items) {
  if (!frames_.empty()) {
    start_node();
    out_ += ' ';
  }
  out_ += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out_ += ", ";
    if (choose_style(items[i], ScalarContext::Flow) == ScalarStyle::Plain) {
      out_ += items[i];
    } else {
      append_double_quoted(out_, items[i]);
    }
  }
  out_ += ']';
}

}  // namespace halo::config
