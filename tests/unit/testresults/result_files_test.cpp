// Which files `store_test_results` reads from its path, and that none lies outside it.
#include "testresults/result_files.h"

#include <sys/stat.h>

#include <gtest/gtest.h>
#include <fstream>

#include "support/test_env.h"

namespace halo::testresults {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text = "<testsuite/>") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::vector<std::string> relatives(const FindResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.files) out.push_back(f.relative);
  return out;
}

TEST(ResultFiles, XmlFilesAreFoundRecursivelyInNameOrderWithTheirSource) {
  test::TempDir dir;
  fs::path root = dir.path() / "test-results";
  write(root / "rspec" / "b.xml");
  write(root / "rspec" / "a.XML");
  write(root / "jest" / "deep" / "er" / "junit.xml");
  write(root / "top.xml");
  write(root / "jest" / "coverage.json");
  write(root / "notes.txt");
  FindResult r = find_result_files(root);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(relatives(r), (std::vector<std::string>{"jest/deep/er/junit.xml", "rspec/a.XML",
                                                    "rspec/b.xml", "top.xml"}));
  EXPECT_EQ(r.files[0].source, "jest");
  EXPECT_EQ(r.files[1].source, "rspec");
  EXPECT_EQ(r.files[3].source, "unknown");
  EXPECT_EQ(r.files[1].path, fs::canonical(root / "rspec" / "a.XML"));
}

TEST(ResultFiles, HiddenFilesAndDirectoriesAreIgnoredAsCircleCIDoes) {
  test::TempDir dir;
  write(dir.path() / ".cache" / "junit.xml");
  write(dir.path() / "unit" / ".partial.xml");
  write(dir.path() / "unit" / "junit.xml");
  EXPECT_EQ(relatives(find_result_files(dir.path())), (std::vector<std::string>{"unit/junit.xml"}));
}

TEST(ResultFiles, ARootThatIsAFileIsThatFileAlone) {
  test::TempDir dir;
  write(dir.path() / "reports" / "junit.xml");
  FindResult r = find_result_files(dir.path() / "reports" / "junit.xml");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].relative, "junit.xml");
  EXPECT_EQ(r.files[0].source, "unknown");
}

TEST(ResultFiles, AMissingRootIsAnErrorNamingIt) {
  test::TempDir dir;
  FindResult r = find_result_files(dir.path() / "no-results");
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("no-results"), std::string::npos) << *r.error;
  EXPECT_TRUE(r.files.empty());
}

TEST(ResultFiles, LinksInsideTheRootAreReadAndLinksLeavingItAreNot) {
  test::TempDir dir;
  fs::path root = dir.path() / "results";
  write(root / "real" / "junit.xml");
  write(dir.path() / "secret" / "passwd.xml", "<testsuite name='secret'/>");
  fs::create_directories(root / "links");
  fs::create_symlink(root / "real" / "junit.xml", root / "links" / "inside.xml");
  fs::create_symlink("../../secret/passwd.xml", root / "links" / "outside.xml");
  fs::create_symlink("/etc/hostname", root / "links" / "absolute.xml");
  fs::create_symlink(dir.path() / "secret", root / "linked-dir");  // not entered at all
  fs::create_symlink(root, root / "real" / "loop");                // nor is a loop
  fs::create_symlink(root / "missing.xml", root / "links" / "dangling.xml");

  FindResult r = find_result_files(root);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(relatives(r), (std::vector<std::string>{"links/inside.xml", "real/junit.xml"}));
  for (const auto& f : r.files) {
    EXPECT_EQ(f.path, fs::canonical(root / "real" / "junit.xml")) << f.relative;
  }
  // The step output says what was left out and why.
  std::string said;
  for (const auto& w : r.warnings) said += w + "\n";
  EXPECT_NE(said.find("links/outside.xml: ignored, a link that leads outside"), std::string::npos)
      << said;
  EXPECT_NE(said.find("links/absolute.xml: ignored"), std::string::npos) << said;
  EXPECT_NE(said.find("links/dangling.xml: ignored, a link to nothing"), std::string::npos) << said;
}

TEST(ResultFiles, ARootReachedThroughALinkIsSearchedWhereItReallyIs) {
  test::TempDir dir;
  write(dir.path() / "real-results" / "go" / "report.xml");
  fs::create_symlink(dir.path() / "real-results", dir.path() / "results");
  FindResult r = find_result_files(dir.path() / "results");
  EXPECT_EQ(relatives(r), (std::vector<std::string>{"go/report.xml"}));
}

TEST(ResultFiles, FifosAndOtherSpecialFilesAreSkipped) {
  test::TempDir dir;
  write(dir.path() / "a" / "junit.xml");
  ASSERT_EQ(::mkfifo((dir.path() / "a" / "pipe.xml").c_str(), 0600), 0);
  EXPECT_EQ(relatives(find_result_files(dir.path())), (std::vector<std::string>{"a/junit.xml"}));
}

TEST(ResultFiles, TheFileLimitKeepsTheSameFirstFilesEveryTime) {
  test::TempDir dir;
  for (const char* name : {"d/4.xml", "a/1.xml", "c/3.xml", "b/2.xml", "a/0.xml"}) {
    write(dir.path() / name);
  }
  FindOptions options;
  options.max_files = 3;
  FindResult r = find_result_files(dir.path(), options);
  EXPECT_EQ(relatives(r), (std::vector<std::string>{"a/0.xml", "a/1.xml", "b/2.xml"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "more than 3 report files: the rest are ignored");
}

}  // namespace
}  // namespace halo::testresults
