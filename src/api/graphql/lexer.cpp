#include "api/graphql/lexer.h"

#include <fmt/format.h>

#include <vector>

namespace halo::graphql {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_name_continue(char c) {
  return is_name_start(c) || is_digit(c);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_leading_surrogate(uint32_t c) {
  return c >= 0xD800 && c <= 0xDBFF;
}
bool is_trailing_surrogate(uint32_t c) {
  return c >= 0xDC00 && c <= 0xDFFF;
}

std::string describe_char(uint32_t c) {
  if (c == '"') return "'\"'";
  if (c >= 0x20 && c < 0x7F) return fmt::format("\"{}\"", static_cast<char>(c));
  return fmt::format("U+{:04X}", c);
}

}  // namespace

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::End:
      return "<EOF>";
    case TokenKind::Bang:
      return "\"!\"";
    case TokenKind::Dollar:
      return "\"$\"";
    case TokenKind::Amp:
      return "\"&\"";
    case TokenKind::ParenL:
      return "\"(\"";
    case TokenKind::ParenR:
      return "\")\"";
    case TokenKind::Spread:
      return "\"...\"";
    case TokenKind::Colon:
      return "\":\"";
    case TokenKind::Equals:
      return "\"=\"";
    case TokenKind::At:
      return "\"@\"";
    case TokenKind::BracketL:
      return "\"[\"";
    case TokenKind::BracketR:
      return "\"]\"";
    case TokenKind::BraceL:
      return "\"{\"";
    case TokenKind::Pipe:
      return "\"|\"";
    case TokenKind::BraceR:
      return "\"}\"";
    case TokenKind::Name:
      return "Name";
    case TokenKind::Int:
      return "Int";
    case TokenKind::Float:
      return "Float";
    case TokenKind::String:
      return "String";
    case TokenKind::BlockString:
      return "BlockString";
  }
  return "?";
}

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

Lexer::Lexer(std::string_view source) : src_(source) {
  // A byte order mark is ignored (spec 2.1.1).
  if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = col_offset_ = 3;
}

Location Lexer::location_at(size_t offset) {
  if (col_offset_ < line_start_ || col_offset_ > offset) {
    col_offset_ = line_start_;
    col_value_ = 1;
  }
  for (size_t i = col_offset_; i < offset; ++i) {
    if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) ++col_value_;
  }
  col_offset_ = offset;
  return {line_, col_value_};
}

void Lexer::fail(size_t offset, const std::string& message) {
  throw SyntaxError("Syntax Error: " + message, location_at(offset));
}

// Decodes one UTF-8 sequence at pos (advancing it); malformed input is a syntax error, since
// the spec's source text is a sequence of Unicode scalar values.
uint32_t Lexer::read_utf8(size_t& pos) {
  auto b0 = static_cast<unsigned char>(src_[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  int len = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || pos + len > src_.size()) fail(pos, "Invalid UTF-8 in source.");
  uint32_t c = b0 & (0x7F >> len);
  for (int i = 1; i < len; ++i) {
    auto b = static_cast<unsigned char>(src_[pos + i]);
    if ((b & 0xC0) != 0x80) fail(pos, "Invalid UTF-8 in source.");
    c = (c << 6) | (b & 0x3F);
  }
  static constexpr uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < min_for_len[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    fail(pos, "Invalid UTF-8 in source.");
  }
  pos += len;
  return c;
}

void Lexer::skip_ignored() {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == ',') {
      ++pos_;
    } else if (c == '\n' || c == '\r') {
      pos_ += (c == '\r' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ? 2 : 1;
      ++line_;
      line_start_ = pos_;
    } else if (c == '#') {
      while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
    } else if (src_.compare(pos_, 3, "\xEF\xBB\xBF") == 0) {
      pos_ += 3;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skip_ignored();
  Token t;
  size_t start = pos_;
  t.loc = location_at(start);
  if (pos_ >= src_.size()) {
    t.kind = TokenKind::End;
    return t;
  }
  ++tokens_;
  char c = src_[pos_];
  auto punct = [&](TokenKind k, size_t len) {
    t.kind = k;
    t.text = src_.substr(start, len);
    pos_ += len;
    return t;
  };
  switch (c) {
    case '!':
      return punct(TokenKind::Bang, 1);
    case '$':
      return punct(TokenKind::Dollar, 1);
    case '&':
      return punct(TokenKind::Amp, 1);
    case '(':
      return punct(TokenKind::ParenL, 1);
    case ')':
      return punct(TokenKind::ParenR, 1);
    case ':':
      return punct(TokenKind::Colon, 1);
    case '=':
      return punct(TokenKind::Equals, 1);
    case '@':
      return punct(TokenKind::At, 1);
    case '[':
      return punct(TokenKind::BracketL, 1);
    case ']':
      return punct(TokenKind::BracketR, 1);
    case '{':
      return punct(TokenKind::BraceL, 1);
    case '|':
      return punct(TokenKind::Pipe, 1);
    case '}':
      return punct(TokenKind::BraceR, 1);
    case '.':
      if (src_.compare(pos_, 3, "...") == 0) return punct(TokenKind::Spread, 3);
      fail(pos_, "Unexpected \".\".");
    case '"':
      if (src_.compare(pos_, 3, "\"\"\"") == 0) return read_block_string(start);
      return read_string(start);
    default:
      break;
  }
  if (is_name_start(c)) {
    while (pos_ < src_.size() && is_name_continue(src_[pos_])) ++pos_;
    t.kind = TokenKind::Name;
    t.text = src_.substr(start, pos_ - start);
    return t;
  }
  if (is_digit(c) || c == '-') return read_number(start);
  size_t p = pos_;
  uint32_t cp = read_utf8(p);
  fail(start, "Unexpected character: " + describe_char(cp) + ".");
}

Token Lexer::read_number(size_t start) {
  auto digits = [&]() {
    if (pos_ >= src_.size() || !is_digit(src_[pos_])) {
      if (pos_ >= src_.size()) fail(pos_, "Invalid number, expected digit but got: <EOF>.");
      size_t p = pos_;
      fail(pos_, "Invalid number, expected digit but got: " + describe_char(read_utf8(p)) + ".");
    }
    while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
  };
  bool is_float = false;
  if (src_[pos_] == '-') ++pos_;
  if (pos_ < src_.size() && src_[pos_] == '0') {
    ++pos_;
    if (pos_ < src_.size() && is_digit(src_[pos_])) {
      fail(pos_, fmt::format("Invalid number, unexpected digit after 0: \"{}\".", src_[pos_]));
    }
  } else {
    digits();
  }
  if (pos_ < src_.size() && src_[pos_] == '.') {
    is_float = true;
    ++pos_;
    digits();
  }
  if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
    is_float = true;
    ++pos_;
    if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
    digits();
  }
  // A number may not be directly followed by a name start or a dot (spec 2.1.8 lookahead).
  if (pos_ < src_.size() && (src_[pos_] == '.' || is_name_start(src_[pos_]))) {
    fail(pos_, fmt::format("Invalid number, expected digit but got: \"{}\".", src_[pos_]));
  }
  Token t;
  t.kind = is_float ? TokenKind::Float : TokenKind::Int;
  t.loc = location_at(start);
  t.text = src_.substr(start, pos_ - start);
  return t;
}

uint32_t Lexer::read_escaped_unicode(size_t& pos) {
  // pos points just after "\u".
  size_t esc_start = pos - 2;
  auto bad = [&](size_t end) {
    fail(esc_start, "Invalid Unicode escape sequence: \"" +
                        std::string(src_.substr(esc_start, end - esc_start)) + "\".");
  };
  if (pos < src_.size() && src_[pos] == '{') {
    size_t p = pos + 1;
    uint32_t value = 0;
    while (p < src_.size() && src_[p] != '}') {
      int h = hex_value(src_[p]);
      if (h < 0) bad(p + 1);
      value = value * 16 + static_cast<uint32_t>(h);
      if (value > 0x10FFFF) bad(p + 1);
      ++p;
    }
    if (p >= src_.size() || p == pos + 1) bad(std::min(p + 1, src_.size()));
    if (value >= 0xD800 && value <= 0xDFFF) bad(p + 1);
    pos = p + 1;
    return value;
  }
  auto read4 = [&](size_t at) -> int64_t {
    if (at + 4 > src_.size()) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      int h = hex_value(src_[at + i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  int64_t v = read4(pos);
  if (v < 0) bad(std::min(pos + 4, src_.size()));
  auto c = static_cast<uint32_t>(v);
  pos += 4;
  if (is_leading_surrogate(c)) {
    // A surrogate pair written as two fixed-width escapes encodes one code point.
    if (src_.compare(pos, 2, "\\u") == 0) {
      int64_t lo = read4(pos + 2);
      if (lo >= 0 && is_trailing_surrogate(static_cast<uint32_t>(lo))) {
        pos += 6;
        return 0x10000 + ((c - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
      }
    }
    bad(pos);
  }
  if (is_trailing_surrogate(c)) bad(pos);
  return c;
}

Token Lexer::read_string(size_t start) {
  Token t;
  t.kind = TokenKind::String;
  t.loc = location_at(start);
  size_t p = start + 1;
  std::string out;
  while (true) {
    if (p >= src_.size()) fail(p, "Unterminated string.");
    char c = src_[p];
    if (c == '"') {
      ++p;
      break;
    }
    if (c == '\n' || c == '\r') fail(p, "Unterminated string.");
    if (c == '\\') {
      if (p + 1 >= src_.size()) fail(p, "Unterminated string.");
      char e = src_[p + 1];
      p += 2;
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          append_utf8(out, read_escaped_unicode(p));
          break;
        default: {
          size_t q = p - 1;
          fail(p - 2,
               "Invalid character escape sequence: \"\\" + std::string(src_.substr(q, 1)) + "\".");
        }
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      fail(p, "Invalid character within String: " + describe_char(static_cast<unsigned char>(c)) +
                  ".");
    }
    size_t before = p;
    read_utf8(p);
    out.append(src_.substr(before, p - before));
  }
  pos_ = p;
  t.text = src_.substr(start, p - start);
  t.value = std::move(out);
  return t;
}

Token Lexer::read_block_string(size_t start) {
  Token t;
  t.kind = TokenKind::BlockString;
  t.loc = location_at(start);
  size_t p = start + 3;
  std::string raw;
  while (true) {
    if (p >= src_.size()) fail(p, "Unterminated string.");
    char c = src_[p];
    if (c == '"' && src_.compare(p, 3, "\"\"\"") == 0) {
      p += 3;
      break;
    }
    if (c == '\\' && src_.compare(p, 4, "\\\"\"\"") == 0) {
      raw += "\"\"\"";
      p += 4;
      continue;
    }
    if (c == '\n' || c == '\r') {
      size_t len = (c == '\r' && p + 1 < src_.size() && src_[p + 1] == '\n') ? 2 : 1;
      raw.append(src_.substr(p, len));
      p += len;
      ++line_;
      line_start_ = p;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      fail(p, "Invalid character within String: " + describe_char(static_cast<unsigned char>(c)) +
                  ".");
    }
    size_t before = p;
    read_utf8(p);
    raw.append(src_.substr(before, p - before));
  }
  pos_ = p;
  t.text = src_.substr(start, p - start);
  t.value = block_string_value(raw);
  return t;
}

std::string block_string_value(std::string_view raw) {
  // Split on \r\n, \n or \r.
  std::vector<std::string_view> lines;
  size_t begin = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' || raw[i] == '\r') {
      lines.push_back(raw.substr(begin, i - begin));
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      begin = i + 1;
    }
  }
  lines.push_back(raw.substr(begin));
  auto indent_of = [](std::string_view line) {
    size_t n = 0;
    while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
    return n;
  };
  size_t common = std::string::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t ind = indent_of(lines[i]);
    if (ind < lines[i].size() && ind < common) common = ind;
  }
  if (common != std::string::npos) {
    for (size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() >= common ? lines[i].substr(common) : std::string_view{};
    }
  }
  size_t first = 0, last = lines.size();
  while (first < last && indent_of(lines[first]) == lines[first].size()) ++first;
  while (last > first && indent_of(lines[last - 1]) == lines[last - 1].size()) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) out.push_back('\n');
    out.append(lines[i]);
  }
  return out;
}

}  // namespace halo::graphql
