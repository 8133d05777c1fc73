// The ReplyIntentService module: see docs/ARCHITECTURE.md.
