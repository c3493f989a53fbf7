// The YAML document tree the config compiler reads: immutable nodes in an arena owned by a
// Document, with the same observable model as yaml-cpp's YAML::Node (kinds, scalar text,
// the "?" tag of plain scalars and "!" of quoted/block ones, 0-based marks, aliases sharing
// one node) so that either parser can produce it. Nodes are plain pointers: copying one
// costs nothing, and a Node is valid while its Document lives.
#pragma once
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace halo::config::yaml {

enum class Kind : unsigned char { Null, Scalar, Sequence, Map };

// 0-based, as yaml-cpp's; -1 when unknown.
struct Mark {
  int line = -1;
  int column = -1;
  bool is_null() const { return line < 0; }
};

class Node;
struct NodeData;
using Pair = std::pair<Node, Node>;

class Node {
 public:
  Node() = default;
  explicit Node(const NodeData* data) : data_(data) {}

  bool IsDefined() const { return data_ != nullptr; }
  bool IsNull() const;
  bool IsScalar() const;
  bool IsSequence() const;
  bool IsMap() const;
  // The text of a scalar; empty for other kinds.
  const std::string& Scalar() const;
  // "?" for plain scalars and untagged collections, "!" for quoted and block scalars, else
  // the resolved tag (e.g. "tag:yaml.org,2002:str").
  const std::string& Tag() const;
  struct Mark Mark() const;
  // Items of a sequence, pairs of a map (in document order, duplicates kept); empty otherwise.
  const std::vector<Node>& items() const;
  const std::vector<Pair>& pairs() const;
  size_t size() const;
  // The same node (aliases of one anchor are the same node).
  bool is(const Node& other) const { return data_ == other.data_; }

 private:
  const NodeData* data_ = nullptr;
};

struct NodeData {
  Kind kind = Kind::Null;
  struct Mark mark;
  std::string tag = "?";
  std::string scalar;
  std::vector<Node> items;
  std::vector<Pair> pairs;
};

// Owns the nodes of one parsed document, and of nodes built while compiling.
class Document {
 public:
  Document() = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  Node root() const { return root_; }
  void set_root(Node n) { root_ = n; }

  NodeData& add(Kind kind, struct Mark mark = {});
  Node scalar(std::string text, struct Mark mark = {}, bool plain = true);

 private:
  std::deque<NodeData> nodes_;  // a deque: adding never moves existing nodes
  Node root_;
};

// Structural equality including scalar text, tags and marks; `why` says where they differ.
bool same_tree(Node a, Node b, std::string* why);

}  // namespace halo::config::yaml
