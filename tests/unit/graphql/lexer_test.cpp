// Spec 2.1: source text, ignored tokens, punctuators, names, numbers, strings, block strings.
#include <gtest/gtest.h>

#include "api/graphql/lexer.h"

#include <vector>

using namespace halo::graphql;

namespace {

std::vector<Token> lex_all(std::string_view src) {
  Lexer lexer(src);
  std::vector<Token> out;
  for (Token t = lexer.next(); t.kind != TokenKind::End; t = lexer.next()) out.push_back(t);
  return out;
}

Token lex_one(std::string_view src) {
  auto all = lex_all(src);
  EXPECT_EQ(all.size(), 1u) << src;
  return all.empty() ? Token{} : all[0];
}

// The error a source produces, as "line:column message".
std::string lex_error(std::string_view src) {
  try {
    lex_all(src);
  } catch (const SyntaxError& e) {
    return std::to_string(e.location.line) + ":" + std::to_string(e.location.column) + " " +
           e.what();
  }
  return "no error";
}

}  // namespace

TEST(Lexer, IgnoresWhiteSpaceCommasCommentsAndAByteOrderMark) {
  auto tokens = lex_all("\xEF\xBB\xBF  ,,\t# a comment\n  { a , b }  # trailing");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].kind, TokenKind::BraceL);
  EXPECT_EQ(tokens[1].text, "a");
  EXPECT_EQ(tokens[3].kind, TokenKind::BraceR);
}

TEST(Lexer, TracksLinesAndColumnsAcrossAllLineTerminators) {
  auto tokens = lex_all("a\nb\r\nc\rd\n   e");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].loc, (Location{1, 1}));
  EXPECT_EQ(tokens[1].loc, (Location{2, 1}));
  EXPECT_EQ(tokens[2].loc, (Location{3, 1}));
  EXPECT_EQ(tokens[3].loc, (Location{4, 1}));
  EXPECT_EQ(tokens[4].loc, (Location{5, 4}));
}

TEST(Lexer, ColumnsCountCodePointsNotBytes) {
  auto tokens = lex_all("\"héllo→\" x");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].loc, (Location{1, 10}));
}

TEST(Lexer, ReadsEveryPunctuator) {
  auto tokens = lex_all("! $ & ( ) ... : = @ [ ] { | }");
  std::vector<TokenKind> kinds;
  for (const auto& t : tokens) kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::Bang, TokenKind::Dollar, TokenKind::Amp,
                                           TokenKind::ParenL, TokenKind::ParenR, TokenKind::Spread,
                                           TokenKind::Colon, TokenKind::Equals, TokenKind::At,
                                           TokenKind::BracketL, TokenKind::BracketR,
                                           TokenKind::BraceL, TokenKind::Pipe, TokenKind::BraceR}));
}

TEST(Lexer, ReadsNames) {
  EXPECT_EQ(lex_one("_private9").text, "_private9");
  EXPECT_EQ(lex_one("__typename").kind, TokenKind::Name);
}

TEST(Lexer, ReadsIntsAndFloats) {
  EXPECT_EQ(lex_one("0").kind, TokenKind::Int);
  EXPECT_EQ(lex_one("-42").text, "-42");
  EXPECT_EQ(lex_one("1.5").kind, TokenKind::Float);
  EXPECT_EQ(lex_one("-1.5e10").kind, TokenKind::Float);
  EXPECT_EQ(lex_one("2E-3").kind, TokenKind::Float);
  EXPECT_EQ(lex_one("6e+2").text, "6e+2");
}

TEST(Lexer, RefusesMalformedNumbers) {
  EXPECT_EQ(lex_error("00"), "1:2 Syntax Error: Invalid number, unexpected digit after 0: \"0\".");
  EXPECT_EQ(lex_error("1."), "1:3 Syntax Error: Invalid number, expected digit but got: <EOF>.");
  EXPECT_EQ(lex_error("1.a"), "1:3 Syntax Error: Invalid number, expected digit but got: \"a\".");
  EXPECT_EQ(lex_error("123abc"),
            "1:4 Syntax Error: Invalid number, expected digit but got: \"a\".");
  EXPECT_EQ(lex_error("1.5.1"), "1:4 Syntax Error: Invalid number, expected digit but got: \".\".");
  EXPECT_EQ(lex_error("-"), "1:2 Syntax Error: Invalid number, expected digit but got: <EOF>.");
}

TEST(Lexer, DecodesStringEscapes) {
  EXPECT_EQ(lex_one(R"("a\"b\\c\/d\be\ff\ng\rh\ti")").value, "a\"b\\c/d\be\ff\ng\rh\ti");
  EXPECT_EQ(lex_one(R"("\u00e9")").value, "é");
  EXPECT_EQ(lex_one(R"("\u{1F600}")").value, "\xF0\x9F\x98\x80");
  EXPECT_EQ(lex_one(R"("\uD83D\uDE00")").value, "\xF0\x9F\x98\x80");  // a surrogate pair
  EXPECT_EQ(lex_one("\"unicode ☃ as is\"").value, "unicode ☃ as is");
}

TEST(Lexer, RefusesBadStrings) {
  EXPECT_EQ(lex_error("\"abc"), "1:5 Syntax Error: Unterminated string.");
  EXPECT_EQ(lex_error("\"a\nb\""), "1:3 Syntax Error: Unterminated string.");
  EXPECT_EQ(lex_error(R"("\x")"), "1:2 Syntax Error: Invalid character escape sequence: \"\\x\".");
  EXPECT_EQ(lex_error(R"("\u12")"),
            "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\u12\"\".");
  EXPECT_EQ(lex_error(R"("\uD83D")"),
            "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".");
  EXPECT_EQ(lex_error(R"("\uDE00")"),
            "1:2 Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".");
  EXPECT_EQ(lex_error(R"("\u{110000}")").substr(0, 50),
            "1:2 Syntax Error: Invalid Unicode escape sequence:");
  EXPECT_EQ(lex_error("\"a\x01\""), "1:3 Syntax Error: Invalid character within String: U+0001.");
  EXPECT_EQ(lex_error("\"\xC3\""), "1:2 Syntax Error: Invalid UTF-8 in source.");
}

TEST(Lexer, BlockStringsAreDedentedAndKeepEscapes) {
  auto t = lex_one("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\"");
  EXPECT_EQ(t.kind, TokenKind::BlockString);
  EXPECT_EQ(t.value, "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(lex_one(R"("""contains \""" and \n""")").value, "contains \"\"\" and \\n");
  EXPECT_EQ(lex_one("\"\"\"  first line kept as is\n   next\"\"\"").value,
            "  first line kept as is\nnext");
}

TEST(Lexer, BlockStringsAdvanceTheLineCount) {
  auto tokens = lex_all("\"\"\"a\nb\nc\"\"\" x");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].loc, (Location{3, 6}));
}

TEST(Lexer, RefusesUnexpectedCharacters) {
  EXPECT_EQ(lex_error("  ?"), "1:3 Syntax Error: Unexpected character: \"?\".");
  EXPECT_EQ(lex_error(".."), "1:1 Syntax Error: Unexpected \".\".");
  EXPECT_EQ(lex_error("\n \xE2\x98\x83"), "2:2 Syntax Error: Unexpected character: U+2603.");
}

TEST(BlockStringValue, FollowsTheSpecAlgorithm) {
  EXPECT_EQ(block_string_value("\n\n    a\n      b\n    \n"), "a\n  b");
  EXPECT_EQ(block_string_value("  \t  "), "");
  EXPECT_EQ(block_string_value("x\r\n  y\r  z"), "x\ny\nz");
}
