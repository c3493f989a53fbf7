#include "config/yaml_tree.h"

#include <set>

#include <fmt/format.h>

namespace halo::config::yaml {

namespace {
const std::string kEmpty;
const std::string kPlain = "?";
const std::vector<Node> kNoItems;
const std::vector<Pair> kNoPairs;
}  // namespace

bool Node::IsNull() const {
  return data_ != nullptr && data_->kind == Kind::Null;
}
bool Node::IsScalar() const {
  return data_ != nullptr && data_->kind == Kind::Scalar;
}
bool Node::IsSequence() const {
  return data_ != nullptr && data_->kind == Kind::Sequence;
}
bool Node::IsMap() const {
  return data_ != nullptr && data_->kind == Kind::Map;
}

const std::string& Node::Scalar() const {
  return data_ != nullptr && data_->kind == Kind::Scalar ? data_->scalar : kEmpty;
}

const std::string& Node::Tag() const {
  return data_ != nullptr ? data_->tag : kPlain;
}

struct Mark Node::Mark() const {
  return data_ != nullptr ? data_->mark : yaml::Mark{};
}

const std::vector<Node>& Node::items() const {
  return data_ != nullptr ? data_->items : kNoItems;
}

const std::vector<Pair>& Node::pairs() const {
  return data_ != nullptr ? data_->pairs : kNoPairs;
}

size_t Node::size() const {
  if (data_ == nullptr) return 0;
  return data_->kind == Kind::Map ? data_->pairs.size() : data_->items.size();
}

NodeData& Document::add(Kind kind, struct Mark mark) {
  NodeData& d = nodes_.emplace_back();
  d.kind = kind;
  d.mark = mark;
  return d;
}

Node Document::scalar(std::string text, struct Mark mark, bool plain) {
  NodeData& d = add(Kind::Scalar, mark);
  d.scalar = std::move(text);
  if (!plain) d.tag = "!";
  return Node(&d);
}

namespace {

const char* kind_name(Node n) {
  if (!n.IsDefined()) return "undefined";
  if (n.IsNull()) return "null";
  if (n.IsScalar()) return "scalar";
  if (n.IsSequence()) return "sequence";
  return "map";
}

struct Comparer {
  std::set<std::pair<const void*, const void*>> done;  // DAGs: compare shared nodes once
  std::string* why;

  bool fail(const std::string& path, const std::string& what) {
    if (why != nullptr) *why = fmt::format("{}: {}", path.empty() ? "(root)" : path, what);
    return false;
  }

  bool same(Node a, Node b, const std::string& path) {
    if (a.IsDefined() != b.IsDefined() || a.IsNull() != b.IsNull() ||
        a.IsScalar() != b.IsScalar() || a.IsMap() != b.IsMap()) {
      return fail(path, fmt::format("{} vs {}", kind_name(a), kind_name(b)));
    }
    if (!a.IsDefined()) return true;
    auto ma = a.Mark();
    auto mb = b.Mark();
    if (ma.line != mb.line || ma.column != mb.column) {
      return fail(path, fmt::format("mark {}:{} vs {}:{}", ma.line, ma.column, mb.line, mb.column));
    }
    if (a.Tag() != b.Tag()) return fail(path, fmt::format("tag {} vs {}", a.Tag(), b.Tag()));
    if (a.IsScalar()) {
      if (a.Scalar() != b.Scalar()) {
        return fail(path, fmt::format("\"{}\" vs \"{}\"", a.Scalar(), b.Scalar()));
      }
      return true;
    }
    if (a.IsNull()) return true;
    // Identity of the pair stands for the subtree: aliases make the tree a DAG.
    if (!done.insert({&a.items(), &b.items()}).second) return true;
    if (a.size() != b.size()) return fail(path, fmt::format("size {} vs {}", a.size(), b.size()));
    if (a.IsSequence()) {
      for (size_t i = 0; i < a.size(); ++i) {
        if (!same(a.items()[i], b.items()[i], fmt::format("{}[{}]", path, i))) return false;
      }
      return true;
    }
    for (size_t i = 0; i < a.size(); ++i) {
      const Pair& pa = a.pairs()[i];
      const Pair& pb = b.pairs()[i];
      std::string p = fmt::format("{}.{}", path, pa.first.Scalar());
      if (!same(pa.first, pb.first, p + "(key)") || !same(pa.second, pb.second, p)) return false;
    }
    return true;
  }
};

}  // namespace

bool same_tree(Node a, Node b, std::string* why) {
  Comparer c{{}, why};
  return c.same(a, b, "");
}

}  // namespace halo::config::yaml
