// intentd: the ReplyIntent gRPC server.
internal import ArgumentParser

IntentD.main()
