/// The YAML loaders' seeds: the project's own example files, and examples of the files whose
/// format the sources document (a tenant's policy.yaml, the tokens file).
enum FileSeeds {
    static func write(to writer: CorpusWriter) throws {
        try writer.write(try writer.read("Config/intentd.example.yaml"), target: "settings", name: "intentd.example.yaml")
        try writer.write(Array(settingsEveryKey.utf8), target: "settings", name: "every-key.yaml")
        try writer.write(Array(settingsNumbers.utf8), target: "settings", name: "number-spellings.yaml")
        for language in ["en", "es", "ar", "ja", "th"] {
            try writer.write(try writer.read("Templates/\(language).yaml"), target: "templates", name: "\(language).yaml")
        }
        try writer.write(Array(templateSyntax.utf8), target: "templates", name: "sections-and-comments.yaml")
        try writer.write(Array(policy.utf8), target: "tenant-policy", name: "every-key.yaml")
        try writer.write(Array("mode: suggest_only\nalways_human: []\nanger_threshold: null\n".utf8), target: "tenant-policy", name: "small.yaml")
        try writer.write(Array(tokens.utf8), target: "tokens", name: "tokens.yaml")
    }

    static let settingsEveryKey = """
        listen: {host: 127.0.0.1, port: 50051, tls_port: 50052}
        tls: {certificate: a.pem, private_key: a.key, client_ca: ca.pem, require_client_certificate: false}
        server:
          threads: 2
          max_receive_message_size: 4194304
          max_concurrent_streams: 100
          idle_timeout_seconds: 300
          drain_timeout_seconds: 30
          test_service: false
          max_header_list_size: 16384
          max_connections: 4096
          max_connections_per_peer: 256
          request_timeout_seconds: 30
          keepalive_time_seconds: 60
          keepalive_timeout_seconds: 20
          max_connection_age_seconds: 7200
          max_connection_age_grace_seconds: 30
          max_buffered_request_bytes_per_connection: 33554432
          max_buffered_request_bytes: 268435456
          max_queued_response_bytes_per_stream: 262144
          max_queued_response_bytes_per_connection: 4194304
          response_stall_timeout_seconds: 30
          max_offloaded_calls: 256
        models: {default_model: models/default.rimodel, memory_budget_mb: 4096, shards: 16, scan_interval_seconds: 10, max_file_size_mb: 256}
        tenants: {directory: tenants, tokens_file: tokens.yaml, templates_dir: Templates}
        limits: {max_text_bytes: 16384}
        alerts: {buffer: 1024, max_subscribers_per_tenant: 256, max_subscribers_per_connection: 16}
        corrections: {fsync_interval_ms: 1000, max_file_mb: 64, keep_files: 5}
        logging: {level: info, format: json, log_message_text: false}

        """

    /// Numbers spelled the ways YAML and Swift read them (exponents, underscores, signs).
    static let settingsNumbers = """
        server: {idle_timeout_seconds: 3.0e2, drain_timeout_seconds: 0.5, max_connections: 4_096, threads: +2}
        models: {scan_interval_seconds: 1E1, memory_budget_mb: 0x10}

        """

    static let templateSyntax = """
        language: en
        templates:
          order_status: "Hi{{#buyer_name}} {{buyer_name}}{{/buyer_name}}, order {{order_id}} {{^eta}}is on its way{{/eta}}{{#eta}}arrives {{eta}}{{/eta}}.{{! note }}"
          refund_request: |
            Hello {{buyer_name}},
              {{#refund_amount}}
            We refund {{refund_amount}}.
              {{/refund_amount}}
            {{shop_name}}

        """

    static let policy = """
        mode: auto
        default_language: es
        model: default
        confidence_threshold: 0.85
        intent_thresholds: {order_status: 0.9, greeting: 0.6}
        always_human: [complaint, human_agent, refund_request]
        escalate_on_anger: true
        anger_threshold: 0.7
        escalate_on_threats: true
        escalate_on_risk_terms: true
        alert_min_priority: high
        escalate_at_priority: urgent

        """

    static let tokens = """
        tokens:
          - tenant: acme
            sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            admin: true
            name: ci-bot
          - tenant: shop_2
            sha256: 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752
        client_certificates:
          - subject: "CN=shop-client,O=Acme"
            tenant: acme
            admin: false

        """
}
