#include "config/yaml_load.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace halo::config::yaml {

namespace {

// Thrown inside the fast parser: the input is outside its subset (or malformed); yaml-cpp
// decides what it means.
struct Unsupported {
  int source_line;  // where in this file, for tests that want to know why
};

[[noreturn]] void decline(int source_line) {
  throw Unsupported{source_line};
}
#define bail() decline(__LINE__)

thread_local std::string last_decline_text;

constexpr int kMaxDepth = 200;

bool is_flow_indicator(char c) {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

// Plain scalars resolve these to null (yaml-cpp's IsNullString).
bool is_null_word(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class FastParser {
 public:
  FastParser(std::string_view text, Document& doc) : s_(text), doc_(doc) {}

  void parse() {
    check_characters();
    skip_to_content();
    if (peek() == '%') bail();
    if (at_document_marker("---")) {
      pos_ += 3;
      saw_marker_ = true;
      skip_spaces();
      if (!at_line_end()) bail();  // content or a tag after ---
      skip_to_content();
    }
    if (at_end() || at_document_marker("...") || at_document_marker("---")) {
      // yaml-cpp: an empty stream is a default node; an empty document a null at its end.
      if (at_end() && !saw_marker_) {
        doc_.set_root(null_node({}));
        return;
      }
      bail();
    }
    Node root = block_node(-1, true);
    skip_to_content();
    // Load reads the first document only. yaml-cpp still scans the token after each "...",
    // so what follows those must be another marker or the end.
    while (at_document_marker("...")) {
      pos_ += 3;
      skip_to_content();
    }
    if (!at_end() && !at_document_marker("---")) bail();
    doc_.set_root(root);
  }

  Mark where() const { return mark(); }

 private:
  std::string_view s_;
  Document& doc_;
  size_t pos_ = 0;
  int line_ = 0;
  size_t line_start_ = 0;
  int depth_ = 0;
  bool saw_marker_ = false;
  bool comment_ended_ = false;  // the last plain line ended in a comment
  bool folded_ = false;         // the quoted scalar being read spans lines
  // An anchor is defined where it appears (yaml-cpp's order: a redefinition inside the
  // anchored node wins); while its node is being read it is pending.
  struct Anchor {
    Node node;
    size_t id = 0;
    bool pending = true;
  };
  std::unordered_map<std::string_view, Anchor> anchors_;
  size_t next_anchor_ = 0;

  // A line of a block scalar: its text after the content indentation.
  struct Line {
    size_t begin;
    size_t end;
    bool empty;
  };

  // --- characters and positions -----------------------------------------------------------

  // Carriage returns, NULs, other controls and byte-order marks go to yaml-cpp.
  void check_characters() {
    for (char ch : s_) {
      auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 && c != '\n' && c != '\t') bail();
      if (c == 0x7F) bail();
    }
    // Invalid UTF-8 (which yaml-cpp replaces) and U+0085, U+2028, U+2029 (line breaks to some
    // readers) go to yaml-cpp too.
    size_t i = 0;
    while (i < s_.size()) {
      auto c = static_cast<unsigned char>(s_[i]);
      if (c < 0x80) {
        ++i;
        continue;
      }
      size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
      if (n == 0 || c > 0xF4 || i + n > s_.size()) bail();
      uint32_t cp = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k) {
        auto d = static_cast<unsigned char>(s_[i + k]);
        if ((d & 0xC0) != 0x80) bail();
        cp = (cp << 6) | (d & 0x3F);
      }
      if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) bail();
      if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x85 || cp == 0x2028 || cp == 0x2029) bail();
      if (cp == 0xFEFF) bail();
      i += n;
    }
  }

  char peek(size_t k = 0) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  bool at_end() const { return pos_ >= s_.size(); }
  int column() const { return static_cast<int>(pos_ - line_start_); }
  Mark mark() const { return Mark{line_, column()}; }

  // Where yaml-cpp marks the end of the collection at column `indent` (a null value or item
  // before it takes this mark). At the end of the text, collections deeper than the last
  // line's column (and sequences at it) end there; the others when the stream ends, after
  // yaml-cpp resets the column to 0.
  Mark end_mark(int indent, bool sequence) const {
    if (!at_end()) return mark();
    int col = column();
    bool ended_here = indent > col || (sequence && indent == col);
    return Mark{line_, ended_here ? col : 0};
  }

  // A space, a line end or the end of the text.
  bool is_blank_at(size_t k) const {
    char c = peek(k);
    return c == ' ' || c == '\n' || c == '\0' || c == '\t';
  }

  bool at_document_marker(std::string_view m) const {
    return column() == 0 && s_.substr(pos_, 3) == m && is_blank_at(3);
  }

  void newline() {
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  void skip_spaces() {
    while (peek() == ' ') ++pos_;
    if (peek() == '\t') bail();
  }

  bool at_line_end() const { return at_end() || peek() == '\n' || peek() == '#'; }

  void skip_comment() {
    if (peek() != '#') return;
    while (!at_end() && peek() != '\n') ++pos_;
  }

  // Past spaces, comments and line ends, to the next content (or the end).
  void skip_to_content() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ') {
        ++pos_;
      } else if (c == '\n') {
        newline();
      } else if (c == '#') {
        skip_comment();
      } else if (c == '\t') {
        bail();
      } else {
        return;
      }
    }
  }

  // After a complete value on a line: only a comment may follow.
  void finish_line() {
    skip_spaces();
    if (!at_line_end()) bail();
  }

  // --- nodes -------------------------------------------------------------------------------

  Node null_node(Mark m) {
    NodeData& d = doc_.add(Kind::Null, m);
    d.tag.clear();
    return Node(&d);
  }

  struct Depth {
    FastParser& p;
    explicit Depth(FastParser& parser) : p(parser) {
      if (++p.depth_ > kMaxDepth) bail();
    }
    ~Depth() { --p.depth_; }
  };

  std::string_view anchor_name() {
    size_t start = pos_;
    while (!at_end() && !is_blank_at(0) && !is_flow_indicator(peek())) ++pos_;
    if (pos_ == start) bail();
    if (peek() == '[' || peek() == '{') bail();  // yaml-cpp: illegal character after a name
    return s_.substr(start, pos_ - start);
  }

  size_t open_anchor(std::string_view anchor) {
    anchors_[anchor] = Anchor{Node(), ++next_anchor_, true};
    return next_anchor_;
  }

  void define(std::string_view anchor, size_t id, Node n) {
    Anchor& a = anchors_[anchor];
    if (a.id == id) a = Anchor{n, id, false};  // else redefined inside: that one stands
  }

  Node alias() {
    ++pos_;  // '*'
    auto name = anchor_name();
    auto it = anchors_.find(name);
    // An alias to a node that contains it would make a cycle: yaml-cpp's to handle.
    if (it == anchors_.end() || it->second.pending) bail();
    return it->second.node;
  }

  // A node in block context, at the current position (its first character), which is on a
  // line indented more than `parent` (or the entry of an indentless sequence).
  // `compact`: a map or sequence may start on this line (sequence entries, a node on its own
  // line); false for a value on the line of its key.
  // `map_value`: the value of a key, which may be a sequence indented like the key.
  Node block_node(int parent, bool compact, bool map_value = false) {
    Depth guard(*this);
    Mark start = mark();
    if (peek() != '&') return block_node_body(parent, compact, start, false);
    ++pos_;
    std::string_view anchor = anchor_name();
    size_t id = open_anchor(anchor);
    skip_spaces();
    Node n;
    if (!at_line_end()) {
      // On this line: a scalar or a flow collection (an anchor before an implicit key, which
      // would anchor the key, is left to yaml-cpp).
      n = block_node_body(parent, false, start, true);
    } else {
      // The node follows on the next lines (yaml-cpp marks it at its anchor).
      skip_to_content();
      if (map_value && column() == parent && peek() == '-' && is_blank_at(1)) {
        n = block_sequence(parent, start);
      } else if (at_end() || column() <= parent || at_document_marker("---") ||
                 at_document_marker("...")) {
        n = null_node(start);
      } else {
        n = block_node_body(parent, true, start, false);
      }
    }
    define(anchor, id, n);
    return n;
  }

  // The node at the current position; `start` is where it began (its anchor, if any).
  // `anchored_here`: an anchor precedes it on this line.
  Node block_node_body(int parent, bool compact, Mark start, bool anchored_here) {
    Mark here = mark();
    char c = peek();
    if (c == '*') {
      // An anchor on an alias (on this line or the one before) is an error to yaml-cpp.
      if (anchored_here || start.line != here.line || start.column != here.column) bail();
      Node n = alias();
      skip_spaces();
      if (peek() == ':') bail();  // an alias as a key
      finish_line();
      return n;
    }
    if (c == '!' || c == '%' || c == '@' || c == '`' || c == '&') bail();
    if ((c == '?' || c == ':') && is_blank_at(1)) bail();
    if (c == '-' && is_blank_at(1)) {
      if (!compact) bail();
      return block_sequence(column(), start);
    }
    if (c == '|' || c == '>') {
      // After an anchor, yaml-cpp wants the content deeper than the anchor: decline.
      if (anchored_here) bail();
      return block_scalar(parent, start);
    }
    if (c == '[' || c == '{') {
      Node n = flow_node(parent, start);
      skip_spaces();
      if (peek() == ':') bail();  // a flow collection as a key
      finish_line();
      return n;
    }
    if (c == ',' || c == ']' || c == '}' || c == '#') bail();
    int col = column();
    size_t begin = pos_;
    if (c == '"' || c == '\'') {
      // Marked where it starts as a key; as a value, at its anchor (yaml-cpp's marks).
      Node n = quoted(parent, here);
      size_t after = pos_;
      int after_line = line_;
      skip_spaces();
      if (peek() == ':' && is_blank_at(1)) {
        if (!compact || anchored_here || after_line != here.line) bail();
        check_key_length(begin);
        ++pos_;
        return block_map(col, n, start);
      }
      pos_ = after;
      finish_line();
      if (start.line != here.line || start.column != here.column) {
        return doc_.scalar(n.Scalar(), start, false);
      }
      return n;
    }
    // A plain scalar, or the first key of a map.
    std::string text;
    bool key = plain_line(text, false);
    if (key) {
      if (!compact || anchored_here) bail();
      check_key_length(begin);
      Node k = plain_node(std::move(text), here);
      return block_map(col, k, start);
    }
    // An anchor changes the indentation yaml-cpp requires of continuation lines: decline.
    plain_continuation(text, parent, start.column != here.column || start.line != here.line);
    return plain_node(std::move(text), start);
  }

  Node plain_node(std::string text, Mark m) {
    if (is_null_word(text)) return null_node(m);
    return doc_.scalar(std::move(text), m, true);
  }

  // One line of a plain scalar in block context, into `out` (trailing spaces trimmed).
  // True when it stopped at ": " (the scalar is a key); the ':' is then consumed.
  bool plain_line(std::string& out, bool continuation) {
    size_t start = pos_;
    size_t end = pos_;  // end of content, excluding trailing spaces
    while (!at_end()) {
      char c = peek();
      if (c == '\n') break;
      if (c == '\t') bail();
      if (c == ':' && is_blank_at(1)) {
        if (continuation) bail();  // a key spanning lines
        out.append(s_.substr(start, end - start));
        ++pos_;
        return true;
      }
      if (c == '#' && pos_ > start && s_[pos_ - 1] == ' ') break;  // a comment
      ++pos_;
      if (c != ' ') end = pos_;
    }
    out.append(s_.substr(start, end - start));
    if (peek() == '#') {
      if (continuation) bail();
      skip_comment();
      comment_ended_ = true;
    } else {
      comment_ended_ = false;
    }
    return false;
  }

  // Folds the continuation lines of a multi-line plain scalar (lines indented more than
  // `parent`) into `text`.
  void plain_continuation(std::string& text, int parent, bool anchored) {
    while (!comment_ended_ && peek() == '\n') {
      size_t save_pos = pos_;
      int save_line = line_;
      size_t save_start = line_start_;
      int breaks = 0;
      newline();
      while (peek() == ' ') ++pos_;
      while (peek() == '\n') {
        ++breaks;
        newline();
        while (peek() == ' ') ++pos_;
      }
      if (at_end() || peek() == '#' || column() <= parent || at_document_marker("---") ||
          at_document_marker("...")) {
        // A comment line or a shallower line ends the scalar where it was.
        pos_ = save_pos;
        line_ = save_line;
        line_start_ = save_start;
        return;
      }
      if (peek() == '\t') bail();
      if (parent < 0 || anchored) bail();  // a multi-line root or anchored scalar
      if (breaks == 0) {
        text += ' ';
      } else {
        text.append(static_cast<size_t>(breaks), '\n');
      }
      plain_line(text, true);
    }
  }

  // A block map whose first key (at column `indent`) has been read, with its ':'.
  Node block_map(int indent, Node first_key, Mark start) {
    NodeData& d = doc_.add(Kind::Map, start);
    Node key = first_key;
    while (true) {
      Node value = map_value(indent);
      d.pairs.emplace_back(key, value);
      skip_to_content();
      if (at_end() || column() < indent || at_document_marker("---") || at_document_marker("...")) {
        break;
      }
      if (column() > indent) bail();
      key = block_key();
    }
    return Node(&d);
  }

  // A key at the start of a map line; consumes its ':'.
  Node block_key() {
    Mark m = mark();
    size_t begin = pos_;
    char c = peek();
    if (c == '"' || c == '\'') {
      Node k = quoted(-1, m);
      if (line_ != m.line) bail();
      skip_spaces();
      if (peek() != ':' || !is_blank_at(1)) bail();
      check_key_length(begin);
      ++pos_;
      return k;
    }
    if (c == '-' || c == '?' || c == ':') {
      if (is_blank_at(1)) bail();
    }
    if (c == '&' || c == '*' || c == '!' || c == '[' || c == '{' || c == '|' || c == '>' ||
        c == '%' || c == '@' || c == '`' || c == ',' || c == ']' || c == '}' || c == '#') {
      bail();
    }
    std::string text;
    if (!plain_line(text, false)) bail();
    check_key_length(begin);
    return plain_node(std::move(text), m);
  }

  // yaml-cpp (as the YAML spec) refuses implicit keys longer than 1024 characters; decline
  // long ones, leaving a margin. Called at (or just after) the key's ':'.
  void check_key_length(size_t begin) const {
    if (pos_ - begin > 1000) bail();
  }

  // The value after `key:` of a map at column `indent`.
  Node map_value(int indent) {
    skip_spaces();
    if (!at_line_end()) return block_node(indent, false, true);
    skip_comment();
    skip_to_content();
    Mark next = mark();
    if (at_end()) return null_node(end_mark(indent, false));
    if (at_document_marker("---") || at_document_marker("...")) return null_node(next);
    if (column() > indent) return block_node(indent, true);
    if (column() == indent && peek() == '-' && is_blank_at(1)) {
      return block_sequence(indent, next);  // an indentless sequence
    }
    return null_node(next);
  }

  Node block_sequence(int indent, Mark start) {
    Depth guard(*this);
    NodeData& d = doc_.add(Kind::Sequence, start);
    while (true) {
      // At a '-' in column `indent`.
      ++pos_;
      skip_spaces();
      if (at_line_end()) {
        skip_comment();
        skip_to_content();
        if (!at_end() && column() > indent && !at_document_marker("---") &&
            !at_document_marker("...")) {
          d.items.push_back(block_node(indent, true));
        } else {
          d.items.push_back(null_node(end_mark(indent, true)));
        }
      } else {
        d.items.push_back(block_node(indent, true));
      }
      skip_to_content();
      if (at_end() || column() < indent || at_document_marker("---") || at_document_marker("...")) {
        break;
      }
      if (column() > indent) bail();
      if (peek() != '-' || !is_blank_at(1)) break;  // the map around an indentless sequence
    }
    return Node(&d);
  }

  // --- quoted scalars ----------------------------------------------------------------------

  // Folds a line break inside a quoted scalar: trailing spaces of the line are dropped (the
  // caller has not appended them), empty lines become newlines, one break becomes a space.
  // `quote` is the character that closes the scalar.
  void fold_quoted_break(std::string& out, int parent, char quote) {
    if (parent < 0) bail();  // a multi-line quoted key or root scalar: yaml-cpp differs
    folded_ = true;
    int breaks = 0;
    newline();
    while (true) {
      while (peek() == ' ' || peek() == '\t') ++pos_;
      if (peek() == '\n') {
        ++breaks;
        newline();
        continue;
      }
      break;
    }
    if (at_end() || at_document_marker("---") || at_document_marker("...")) bail();
    if (column() <= parent) bail();
    // Breaks right before the closing quote: yaml-cpp's folding there depends on what ends
    // the line before (escapes, spaces) in ways it is not worth copying. Decline.
    if (peek() == quote) bail();
    if (breaks == 0) {
      out += ' ';
    } else {
      out.append(static_cast<size_t>(breaks), '\n');
    }
  }

  static void trim_trailing_blanks(std::string& out, size_t floor) {
    while (out.size() > floor && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  }

  // yaml-cpp reads a quoted scalar of nothing but line breaks and spaces as empty.
  void check_folded(const std::string& out) {
    if (folded_ && out.find_first_not_of("\n ") == std::string::npos) bail();
    folded_ = false;
  }

  int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    bail();
  }

  // A single- or double-quoted scalar (at its opening quote). Line breaks fold, trailing
  // blanks of a line are dropped unless escaped; '' is a quote in single-quoted ones,
  // backslash escapes work in double-quoted ones.
  Node quoted(int parent, Mark m) {
    const char quote = peek();
    ++pos_;
    std::string out;
    size_t floor = 0;  // text before this is never trimmed (escaped or folded)
    while (true) {
      if (at_end()) bail();
      char c = peek();
      if (c == quote) {
        if (quote == '\'' && peek(1) == '\'') {
          out += '\'';
          pos_ += 2;
          floor = out.size();
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\n') {
        trim_trailing_blanks(out, floor);
        fold_quoted_break(out, parent, quote);
        floor = out.size();
        continue;
      }
      if (quote == '"' && c == '\\') {
        escape(out);
        floor = out.size();
        continue;
      }
      out += c;
      ++pos_;
    }
    check_folded(out);
    return doc_.scalar(std::move(out), m, false);
  }

  // A backslash escape of a double-quoted scalar, at its backslash.
  void escape(std::string& out) {
    char e = peek(1);
    pos_ += 2;
    int digits = 0;
    switch (e) {
      case '0':
        out += '\0';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 't':
      case '\t':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'v':
        out += '\v';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      case 'e':
        out += '\x1b';
        break;
      case ' ':
        out += ' ';
        break;
      case '"':
        out += '"';
        break;
      case '/':
        out += '/';
        break;
      case '\\':
        out += '\\';
        break;
      // yaml-cpp writes these two as single (non-UTF-8) bytes; so do we, to read alike.
      case 'N':
        out += '\x85';
        break;
      case '_':
        out += '\xa0';
        break;
      case 'L':
        append_utf8(out, 0x2028);
        break;
      case 'P':
        append_utf8(out, 0x2029);
        break;
      case 'x':
        digits = 2;
        break;
      case 'u':
        digits = 4;
        break;
      case 'U':
        digits = 8;
        break;
      default:
        bail();  // escaped line breaks and unknown escapes: yaml-cpp
    }
    if (digits > 0) {
      uint32_t cp = 0;
      for (int i = 0; i < digits; ++i) {
        if (at_end()) bail();
        cp = cp * 16 + static_cast<uint32_t>(hex_value(peek()));
        ++pos_;
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) bail();
      append_utf8(out, cp);
    }
  }

  // --- block scalars -----------------------------------------------------------------------

  Node block_scalar(int parent, Mark m) {
    if (parent < 0) bail();
    bool folded = peek() == '>';
    ++pos_;
    // Header: chomping (- or +) and an indentation indicator (1-9), in either order.
    char chomp = ' ';
    int explicit_indent = 0;
    for (int k = 0; k < 2; ++k) {
      if (chomp == ' ' && (peek() == '-' || peek() == '+')) {
        chomp = peek();
        ++pos_;
      } else if (explicit_indent == 0 && peek() >= '1' && peek() <= '9') {
        explicit_indent = peek() - '0';
        ++pos_;
      }
    }
    if (folded && chomp == '+') bail();  // yaml-cpp keeps only one newline here
    if (peek() != ' ' && peek() != '\n' && !at_end()) bail();
    skip_spaces();
    if (peek() == '#') skip_comment();
    if (!at_end() && peek() != '\n') bail();

    // Lines of the scalar; the content indentation is that of the first non-empty line.
    std::vector<Line> lines;
    // With an indicator, the content is that much deeper than the enclosing collection.
    int indent = explicit_indent > 0 ? parent + explicit_indent : -1;
    int leading_empty = 0;  // the most spaces on an empty line before the first content
    while (!at_end()) {
      // At the '\n' ending the previous line.
      size_t save_pos = pos_;
      int save_line = line_;
      size_t save_start = line_start_;
      newline();
      int spaces = 0;
      while (peek() == ' ') {
        ++pos_;
        ++spaces;
      }
      if (at_end()) {
        if (spaces > 0) bail();
        break;  // the text ended with a line break: there is no further line
      }
      if (peek() == '\n') {
        if (indent < 0) {
          leading_empty = std::max(leading_empty, spaces);
          lines.push_back({0, 0, true});
        } else if (spaces > indent) {
          // Spaces beyond the indentation are the content of this line.
          lines.push_back({line_start_ + static_cast<size_t>(indent), pos_, false});
        } else {
          lines.push_back({0, 0, true});
        }
        continue;
      }
      bool ends = indent < 0 ? spaces <= parent : spaces < indent;
      if (ends) {
        pos_ = save_pos;
        line_ = save_line;
        line_start_ = save_start;
        break;
      }
      if (indent < 0) {
        if (leading_empty > spaces) bail();
        indent = spaces;
      }
      size_t begin = line_start_ + static_cast<size_t>(indent);
      while (!at_end() && peek() != '\n') ++pos_;
      lines.push_back({begin, pos_, false});
    }
    // Trailing empty lines are chomped; the last line read ends where the scalar ends.
    size_t last = lines.size();
    while (last > 0 && lines[last - 1].empty) --last;
    size_t trailing = lines.size() - last;
    std::string out;
    if (!folded) {
      for (size_t i = 0; i < last; ++i) {
        if (i > 0) out += '\n';
        if (!lines[i].empty) out.append(s_.substr(lines[i].begin, lines[i].end - lines[i].begin));
      }
    } else {
      fold(lines, last, out);
    }
    // The last line's break, kept unless stripped, exists only if the text goes on.
    bool final_break = !(last == lines.size() && last > 0 && lines[last - 1].end == s_.size());
    if (last > 0) {
      if (chomp != '-' && final_break) out += '\n';
      if (chomp == '+') out.append(trailing, '\n');
    } else if (chomp == '+') {
      out.append(trailing, '\n');
    }
    return doc_.scalar(std::move(out), m, false);
  }

  // Folding of `>` scalars: a break between two lines that start without a space becomes a
  // space, unless empty lines separate them (each gives a newline); breaks around lines that
  // start with a space or a tab are kept.
  void fold(const std::vector<Line>& lines, size_t last, std::string& out) {
    bool first = true;
    bool prev_more = false;
    size_t pending = 0;
    for (size_t i = 0; i < last; ++i) {
      if (lines[i].empty) {
        ++pending;
        continue;
      }
      std::string_view text = s_.substr(lines[i].begin, lines[i].end - lines[i].begin);
      bool more = !text.empty() && (text[0] == ' ' || text[0] == '\t');
      if (first) {
        out.append(pending, '\n');
      } else if (!prev_more && !more) {
        if (pending == 0) {
          out += ' ';
        } else {
          out.append(pending, '\n');
        }
      } else {
        out.append(pending + 1, '\n');
      }
      out.append(text);
      first = false;
      prev_more = more;
      pending = 0;
    }
  }

  // --- flow collections --------------------------------------------------------------------

  // Spaces, line ends and comments inside a flow collection; lines must stay indented more
  // than the block around it.
  void skip_flow_space(int parent) {
    while (!at_end()) {
      char c = peek();
      if (c == ' ') {
        ++pos_;
      } else if (c == '\n') {
        newline();
        while (peek() == ' ') ++pos_;
        if (!at_end() && peek() != '\n' && peek() != '#' && peek() != ']' && peek() != '}' &&
            column() <= parent) {
          bail();
        }
        if (at_document_marker("---") || at_document_marker("...")) bail();
      } else if (c == '#') {
        if (pos_ > 0 && s_[pos_ - 1] != ' ' && s_[pos_ - 1] != '\n') bail();
        skip_comment();
      } else if (c == '\t') {
        bail();
      } else {
        return;
      }
    }
  }

  Node flow_node(int parent, Mark start) {
    Depth guard(*this);
    if (peek() == '[') {
      NodeData& d = doc_.add(Kind::Sequence, start);
      ++pos_;
      while (true) {
        skip_flow_space(parent);
        if (at_end()) bail();
        if (peek() == ']') {
          ++pos_;
          break;
        }
        d.items.push_back(flow_item(parent));
        skip_flow_space(parent);
        if (peek() == ',') {
          ++pos_;
        } else if (peek() == ']') {
          ++pos_;
          break;
        } else {
          bail();  // including `key: value` pairs inside a sequence
        }
      }
      return Node(&d);
    }
    NodeData& d = doc_.add(Kind::Map, start);
    ++pos_;
    while (true) {
      skip_flow_space(parent);
      if (at_end()) bail();
      if (peek() == '}') {
        ++pos_;
        break;
      }
      char c = peek();
      if (c == '[' || c == '{' || c == '*' || c == '&' || c == '?' || c == '!') bail();
      size_t begin = pos_;
      int key_line = line_;
      Node key = flow_item(parent);
      skip_flow_space(parent);
      if (peek() != ':' || !is_blank_at(1) || line_ != key_line) bail();
      check_key_length(begin);
      ++pos_;
      skip_flow_space(parent);
      if (peek() == ',' || peek() == '}') bail();  // an empty value
      Node value = flow_item(parent);
      d.pairs.emplace_back(key, value);
      skip_flow_space(parent);
      if (peek() == ',') {
        ++pos_;
      } else if (peek() == '}') {
        ++pos_;
        break;
      } else {
        bail();
      }
    }
    return Node(&d);
  }

  Node flow_item(int parent) {
    Mark m = mark();
    char c = peek();
    if (c == '[' || c == '{') return flow_node(parent, m);
    if (c == '*') return alias();
    if (c == '"' || c == '\'') return quoted(parent, m);
    if (c == '&') {
      ++pos_;
      auto anchor = anchor_name();
      size_t id = open_anchor(anchor);
      if (peek() != ' ') bail();
      skip_spaces();
      Mark inner = m;  // yaml-cpp marks an anchored node at its anchor
      char d = peek();
      Node n;
      if (d == '[' || d == '{') {
        n = flow_node(parent, inner);
      } else if (d == '"' || d == '\'') {
        n = quoted(parent, inner);
      } else {
        n = flow_plain(inner);
      }
      define(anchor, id, n);
      return n;
    }
    return flow_plain(m);
  }

  // A plain scalar inside a flow collection: one line, ending at , [ ] { } ": " or " #".
  Node flow_plain(Mark m) {
    char c = peek();
    if (c == '!' || c == '%' || c == '@' || c == '`' || c == '|' || c == '>' || c == '#' ||
        c == '&' || c == '*' || c == '"' || c == '\'' || is_flow_indicator(c)) {
      bail();
    }
    if ((c == '-' || c == '?' || c == ':') && (is_blank_at(1) || is_flow_indicator(peek(1)))) {
      bail();
    }
    size_t start = pos_;
    size_t end = pos_;
    while (!at_end()) {
      char ch = peek();
      if (ch == '\n' || is_flow_indicator(ch)) break;
      if (ch == '\t' || ch == '?') bail();  // yaml-cpp reads '?' in flow scalars as a token
      if (ch == ':' && (is_blank_at(1) || is_flow_indicator(peek(1)))) break;
      if (ch == '#' && s_[pos_ - 1] == ' ') break;
      ++pos_;
      if (ch != ' ') end = pos_;
    }
    if (end == start) bail();
    std::string text(s_.substr(start, end - start));
    // A plain scalar continued on the next line: yaml-cpp.
    if (peek() == '\n') {
      size_t p = pos_ + 1;
      while (p < s_.size() && s_[p] == ' ') ++p;
      if (p < s_.size() && !is_flow_indicator(s_[p]) && s_[p] != '\n' && s_[p] != '#' &&
          s_[p] != ':') {
        bail();
      }
    }
    return plain_node(std::move(text), m);
  }
};

// --- yaml-cpp ------------------------------------------------------------------------------

struct Converter {
  Document& doc;
  // yaml-cpp offers no node identity but `is`; collections are keyed by where and what they
  // are, which no two distinct collections share, so aliases stay shared (and bounded).
  std::map<std::tuple<int, int, int, int>, Node> seen;

  Node convert(const YAML::Node& n) {
    YAML::Mark ym = n.Mark();
    Mark m = ym.is_null() ? Mark{} : Mark{ym.line, ym.column};
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
        return Node();
      case YAML::NodeType::Null: {
        NodeData& d = doc.add(Kind::Null, m);
        d.tag = n.Tag();
        return Node(&d);
      }
      case YAML::NodeType::Scalar: {
        NodeData& d = doc.add(Kind::Scalar, m);
        d.tag = n.Tag();
        d.scalar = n.Scalar();
        return Node(&d);
      }
      case YAML::NodeType::Sequence:
      case YAML::NodeType::Map: {
        bool map = n.IsMap();
        auto key = std::make_tuple(ym.pos, ym.line, ym.column, map ? 1 : 0);
        if (!ym.is_null()) {
          if (auto it = seen.find(key); it != seen.end()) return it->second;
        }
        NodeData& d = doc.add(map ? Kind::Map : Kind::Sequence, m);
        d.tag = n.Tag();
        Node out(&d);
        if (!ym.is_null()) seen.emplace(key, out);
        for (auto it = n.begin(); it != n.end(); ++it) {
          if (map) {
            Node k = convert(it->first);
            Node v = convert(it->second);
            d.pairs.emplace_back(k, v);
          } else {
            d.items.push_back(convert(*it));
          }
        }
        return out;
      }
    }
    return Node();
  }
};

}  // namespace

std::unique_ptr<Document> load_fast(std::string_view text) {
  auto doc = std::make_unique<Document>();
  FastParser parser(text, *doc);
  try {
    parser.parse();
  } catch (const Unsupported& u) {
    auto m = parser.where();
    last_decline_text = "yaml_load.cpp:" + std::to_string(u.source_line) + " at line " +
                        std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1);
    return nullptr;
  }
  return doc;
}

std::string last_decline() {
  return last_decline_text;
}

std::unique_ptr<Document> load_with_yaml_cpp(std::string_view text) {
  YAML::Node root = YAML::Load(std::string(text));
  auto doc = std::make_unique<Document>();
  Converter c{*doc, {}};
  doc->set_root(c.convert(root));
  return doc;
}

std::unique_ptr<Document> load(std::string_view text) {
  if (auto doc = load_fast(text)) return doc;
  return load_with_yaml_cpp(text);
}

}  // namespace halo::config::yaml
