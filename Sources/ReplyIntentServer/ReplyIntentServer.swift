// The ReplyIntentServer module: see docs/ARCHITECTURE.md.
