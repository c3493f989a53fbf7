// A small streaming writer of block-style YAML text, for the processed config.yml.
//
// It promises text that yaml-cpp (and any YAML 1.1 or 1.2 reader) reads back as exactly the
// structure and strings written, with plain style only where the config compiler's typing
// (yaml_source.h typed_scalar) reads a string back as a string:
//
//   - plain: only when none of the rules of choose_style() below asks for more;
//   - literal block, for multi-line map values and sequence items that a literal block holds
//     exactly: `|-` without a final line break, `|` with exactly one after other content,
//     `|+` otherwise (several, or nothing but line breaks); with the indentation indicator
//     (`|2`) when a space comes before the first character that is neither a space nor a
//     line break; content indented 2 past the key or dash, empty lines without spaces;
//   - double-quoted on one line, everything else: \" \\ \n \t \r, \xNN for the other
//     controls and DEL, \uNNNN for U+0080-U+009F, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF;
//     other UTF-8 as it is, and bytes that are not UTF-8 copied unchanged (an escape would
//     stand for a code point; yaml-cpp reads such bytes back as they are).
//
// Layout: 2-space indentation; maps and sequences in block style, a sequence under a key
// indented by 2, maps in sequences in the compact `- key: value` form, empty ones as {} and
// []; keys longer than 1000 bytes in the explicit `? key` form (yaml-cpp rejects implicit
// keys over 1024). The text ends without a final line break; the caller adds one.
//
// Output goes to one std::string; the calls allocate nothing else once the nesting depth has
// been seen. Misuse (a value without a key in a map, unbalanced begin/end) is a programming
// error, checked by assertions.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::config {

enum class ScalarStyle { Plain, Literal, DoubleQuoted };

// Where a scalar goes: a key, a block value (map value or sequence item), or an item of a
// flow sequence.
enum class ScalarContext { Key, Value, Flow };

// The style a string is written in.
//
// Plain, unless any of these holds:
//   - it is empty, or starts or ends with a space;
//   - it contains a byte below 0x20 (tab, line breaks, other controls) or 0x7F, a byte
//     sequence that is not UTF-8, or the code points U+0080-U+009F, U+2028, U+2029, U+FEFF,
//     U+FFFE, U+FFFF;
//   - it starts with an indicator: , [ ] { } # & * ! | > ' " % @ ` or with - ? : followed by
//     a space or nothing ("-x" and "--verbose" stay plain, as YAML 1.1 and 1.2 allow);
//   - it starts with the document markers --- or ...;
//   - it contains ": " or " #", or ends with ":";
//   - it is a null word (~, or null in any case), a YAML 1.1 boolean word (y, n, yes, no,
//     true, false, on, off in any case), "<<" (the merge key) or "=" (the 1.1 value key);
//   - it looks like a number in YAML 1.1 or 1.2: after any run of leading + and - signs,
//     .inf or .nan (any case); 0x, 0o or 0b followed by hex, octal or binary digits and _;
//     or digits, _, : and at most one . (at least one digit, starting with a digit or .)
//     followed by an optional exponent e/E, an optional sign and digits (so "11.0" is
//     quoted, and the version "15.4.0" is not);
//   - it looks like a YAML 1.1 timestamp: four digits, "-", a digit;
//   - in a flow sequence, it contains any of , [ ] { } : #.
// Not plain, then a literal block when all of these hold:
//   - the context is Value (keys and flow items are never blocks) and the string contains a
//     line break (\n);
//   - besides \n and tab, no byte below 0x20, no 0x7F, only UTF-8, and none of the code
//     points above (so no \r, NEL, LS or PS, which readers take for line breaks);
// and double-quoted otherwise. Trailing spaces, lines of spaces or tabs, and lines that look
// like YAML are all fine inside a literal block.
ScalarStyle choose_style(std::string_view s, ScalarContext context);

class YamlWriter {
 public:
  YamlWriter();

  // A map or sequence: as the document, as the value of the last key(), or as an item of the
  // enclosing sequence.
  void begin_map();
  void end_map();
  void begin_seq();
  void end_seq();
  // The next key of the enclosing map; its value follows.
  void key(std::string_view k);

  // Scalars, as a value or an item. `value` writes a string in the style choose_style()
  // picks; `boolean` and `integer` write YAML booleans and integers; `raw` writes text plain
  // as given, for values the caller types deliberately (such as `version: 2.1`) and has
  // checked to be a single plain scalar.
  void value(std::string_view s);
  void boolean(bool b);
  void integer(int64_t i);
  void raw(std::string_view text);
  // A flow sequence of strings, [a, b], as a value or an item.
  void flow_seq(const std::vector<std::string>& items);

  // The text so far.
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  struct Frame {
    bool map;
    bool compact;    // the first entry continues the current line ("- key: ...")
    int indent;      // column of the keys or dashes
    size_t entries;  // written so far
  };
  // Positions the cursor for a node: returns the indentation its children and block scalar
  // content are relative to.
  int start_node();
  void start_entry(Frame& f);
  void end_collection(bool map);
  void scalar(std::string_view s, ScalarContext context);
  void literal(std::string_view s, int indent);

  std::string out_;
  std::vector<Frame> frames_;
  bool after_key_ = false;  // a key was written; its value is next
};

}  // namespace halo::config
