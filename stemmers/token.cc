#include "stemmers/token.h"

namespace referat::stemmers {

std::string_view kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::Word: return "word";
    case TokenKind::Lemma: return "lemma";
    case TokenKind::Part: return "part";
    case TokenKind::Folded: return "folded";
    case TokenKind::Identifier: return "identifier";
  }
  return "unknown";
}

std::string describe(const std::vector<Token>& tokens) {
  std::string out;
  std::uint32_t last_pos = 0;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    const bool head = t.kind == TokenKind::Word || t.kind == TokenKind::Identifier;
    switch (t.kind) {
      case TokenKind::Word: break;
      case TokenKind::Identifier: out += '#'; break;
      case TokenKind::Lemma: out += '='; break;
      case TokenKind::Part: out += '+'; break;
      case TokenKind::Folded: out += '~'; break;
    }
    out += t.text;
    if (head || t.pos != last_pos) {
      out += '[';
      out += std::to_string(t.pos);
      out += ']';
    }
    if (head && t.stop) out += '*';
    last_pos = t.pos;
  }
  return out;
}

}  // namespace referat::stemmers
