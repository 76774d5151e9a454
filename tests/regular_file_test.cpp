// Reading a named document file without trusting what it is (issue 9 finding 10).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "spec/regular_file.h"

namespace {

using pbxmock::spec::read_regular_file;

class RegularFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = "/tmp/pbxmock-regular-file-XXXXXX";
    ASSERT_NE(nullptr, ::mkdtemp(pattern.data()));
    folder_ = pattern;
  }
  void TearDown() override { ASSERT_EQ(0, std::system(("rm -rf '" + folder_ + "'").c_str())); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = folder_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string folder_;
};

TEST_F(RegularFile, reads_a_regular_file_whole) {
  const std::string text = "name: x\n" + std::string(100'000, '#') + "\n";
  const auto read = read_regular_file(write("a.yaml", text));
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(text, *read);
  EXPECT_EQ("", *read_regular_file(write("empty.yaml", "")));
}

TEST_F(RegularFile, refuses_a_fifo_without_waiting_for_a_writer) {
  const std::string fifo = folder_ + "/fifo";
  ASSERT_EQ(0, ::mkfifo(fifo.c_str(), 0600));
  const auto read = read_regular_file(fifo);
  ASSERT_FALSE(read);
  EXPECT_EQ("not a regular file (a FIFO)", read.error());
}

TEST_F(RegularFile, refuses_devices_directories_and_symlinks_to_them) {
  EXPECT_EQ("not a regular file (a character device)", read_regular_file("/dev/zero").error());
  const std::string link = folder_ + "/zero.yaml";
  ASSERT_EQ(0, ::symlink("/dev/zero", link.c_str()));
  EXPECT_EQ("not a regular file (a character device)", read_regular_file(link).error());
  EXPECT_EQ("not a regular file (a directory)", read_regular_file(folder_).error());
}

TEST_F(RegularFile, refuses_a_file_over_the_cap) {
  const std::string path = write("big.yaml", std::string(1001, 'x'));
  EXPECT_TRUE(read_regular_file(path, 1001));
  const auto read = read_regular_file(path, 1000);
  ASSERT_FALSE(read);
  EXPECT_NE(std::string::npos, read.error().find("larger than 1000 bytes")) << read.error();
}

TEST_F(RegularFile, a_missing_file_says_so) {
  const auto read = read_regular_file(folder_ + "/absent.yaml");
  ASSERT_FALSE(read);
  EXPECT_NE(std::string::npos, read.error().find("cannot open file")) << read.error();
}

}  // namespace
