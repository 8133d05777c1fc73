import Testing
@testable import Replies

@Suite struct TemplateFileTests {
    @Test func parsesTemplatesWithIDsAndVariables() throws {
        let yaml = """
            # comment
            language: es
            templates:
              thanks_goodbye: |
                ¡Gracias!
                {{shop_name}}
              order_status: "Hola{{#buyer_name}} {{buyer_name}}{{/buyer_name}}, tu pedido {{order_id}} va en camino."
            """
        let templates = try TemplateSet.parse(yaml: yaml, language: "es", owner: "acme")
        #expect(templates.keys.sorted() == ["order_status", "thanks_goodbye"])
        let status = try #require(templates["order_status"])
        #expect(status.id == "acme/es/order_status")
        #expect(status.variables == ["buyer_name", "order_id"])
        #expect(status.render(["order_id": "7"]) == "Hola, tu pedido 7 va en camino.")
        #expect(templates["thanks_goodbye"]?.render(["shop_name": "Tienda"]) == "¡Gracias!\nTienda\n")
    }

    @Test func languageKeyIsOptionalAndEmptyTemplatesOverrideNothing() throws {
        #expect(try TemplateSet.parse(yaml: "templates:\n  greeting: hi", language: "en", owner: "o").count == 1)
        #expect(try TemplateSet.parse(yaml: "templates:\n", language: "en", owner: "o").isEmpty)
    }

    private func parseError(_ yaml: String, language: String = "es") -> TemplateError? {
        do {
            _ = try TemplateFile.parse(yaml: yaml, language: language, owner: "acme", file: "t/\(language).yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownIntentIsAnErrorNamingIt() throws {
        let error = try #require(parseError("templates:\n  greeting: hi\n  order_stauts: x\n"))
        #expect(error.file == "t/es.yaml")
        #expect(error.intent == "order_stauts")
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("t/es.yaml:3: template 'order_stauts': unknown intent (known: account "))
    }

    @Test func templateSyntaxErrorNamesFileIntentAndProblem() throws {
        let error = try #require(parseError("templates:\n  greeting: hi\n  refund_status: \"{{#order_id}}x\"\n"))
        #expect(error.intent == "refund_status")
        #expect(
            error.description
                == "t/es.yaml:3: template 'refund_status': line 1 of the template: section 'order_id' is never closed "
                + "(add '{{/order_id}}')")
    }

    @Test func fileLevelProblemsAreErrors() throws {
        #expect(try #require(parseError("language: fr\ntemplates:\n  greeting: x")).problem.contains("does not match"))
        #expect(try #require(parseError("langauge: es\ntemplates:\n  greeting: x")).problem.contains("unknown key 'langauge'"))
        #expect(try #require(parseError("language: es\n")).problem.contains("missing 'templates:'"))
        #expect(try #require(parseError("")).problem.contains("empty"))
        #expect(try #require(parseError("- a\n- b\n")).problem.contains("mapping"))
        #expect(try #require(parseError("templates: [a, b]")).problem.contains("must map intents"))
        #expect(try #require(parseError("templates:\n  greeting: [a]")).problem.contains("must be a string"))
        #expect(try #require(parseError("templates:\n  greeting: \"  \"")).problem.contains("has no text"))
        #expect(try #require(parseError("templates:\n  greeting: \"unclosed")).problem.contains("not valid YAML"))
        #expect(try #require(parseError("templates:\n  greeting: x", language: "eng")).problem.contains("two-letter"))
    }

    @Test func duplicateIntentIsAnError() throws {
        let error = try #require(parseError("templates:\n  greeting: a\n  greeting: b\n"))
        #expect(error.description.contains("greeting"))
    }
}
