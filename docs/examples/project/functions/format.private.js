// /format is private: other Functions require it through Runtime.getFunctions(); it has no URL.
function formatReply(body) {
  const text = body.trim();
  return text ? `You said: ${text}` : 'Send us a message and we will reply.';
}

module.exports = { formatReply };
