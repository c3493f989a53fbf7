// The lexer of spec section 2.1: turns source text into tokens, skipping ignored tokens
// (white space, line terminators, commas, comments, a byte order mark). Strings are decoded
// here (escape sequences, \u{...} and surrogate pairs, block-string indentation), so the parser
// sees only values. A lexical error throws SyntaxError carrying the location of the offence.
#pragma once
#include "api/graphql/error.h"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace halo::graphql {

class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::string message, Location loc)
      : std::runtime_error(std::move(message)), location(loc) {}
  Location location;
};

enum class TokenKind {
  End,
  Bang,
  Dollar,
  Amp,
  ParenL,
  ParenR,
  Spread,
  Colon,
  Equals,
  At,
  BracketL,
  BracketR,
  BraceL,
  Pipe,
  BraceR,
  Name,
  Int,
  Float,
  String,
  BlockString,
};

struct Token {
  TokenKind kind = TokenKind::End;
  Location loc;
  std::string_view text;  // the token's source text (for strings: including quotes)
  std::string value;      // decoded string value (String and BlockString only)
};

// Describes a token kind for messages: "Name", "\"{\"", "<EOF>".
std::string_view token_kind_name(TokenKind kind);

class Lexer {
 public:
  // `source` must outlive the lexer and the tokens' text views.
  explicit Lexer(std::string_view source);

  // Reads the next significant token; End at the end of the source, forever after.
  Token next();

  // How many tokens next() has returned, for the token limit.
  size_t token_count() const { return tokens_; }

 private:
  Location location_at(size_t offset);
  [[noreturn]] void fail(size_t offset, const std::string& message);
  void skip_ignored();
  Token read_number(size_t start);
  Token read_string(size_t start);
  Token read_block_string(size_t start);
  uint32_t read_escaped_unicode(size_t& pos);
  uint32_t read_utf8(size_t& pos);

  std::string_view src_;
  size_t pos_ = 0;
  size_t tokens_ = 0;
  // Line bookkeeping: the lexer only moves forward, so columns are counted incrementally.
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  size_t col_offset_ = 0;  // byte offset whose column col_value_ is
  uint32_t col_value_ = 1;
};

// Applies the spec's BlockStringValue() (dedent, drop blank first/last lines) to raw text.
std::string block_string_value(std::string_view raw);

// Appends the UTF-8 encoding of a Unicode scalar value.
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace halo::graphql
