#!/usr/bin/python3
"""Writes the Swift side of every protobuf message and enum into Sources/Messages/Generated.

    Tools/generate-messages.py DESCRIPTOR_SET OUT_DIR FILE.proto...

DESCRIPTOR_SET is a FileDescriptorSet with source info (`protoc-c --include_imports
--include_source_info --descriptor_set_out=...`); one Swift file is written per FILE.proto that
declares messages or enums. protobuf-c (Sources/CReplyIntentProtos, from the same protos) stays
the codec: each message is a Swift struct that reads itself from protobuf-c's C struct (checking
that strings are UTF-8) and fills one for packing (see Sources/Messages/Runtime). Run by
Tools/generate-protos.sh; needs Debian's python3-protobuf.
"""
import textwrap
import os
import re
import sys

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto

# Top-level proto enums that the Swift API declares inside a message of the same file:
# proto full name -> (the message's full name, the Swift name inside it).
SWIFT_PLACEMENT = {
    "replyintent.v1.Platform": ("replyintent.v1.BuyerMessage", "Platform"),
    "replyintent.v1.Priority": ("replyintent.v1.Classification", "Priority"),
    "replyintent.v1.Decision": ("replyintent.v1.SuggestReplyResponse", "Decision"),
    "replyintent.v1.ReplyLanguageSource": ("replyintent.v1.SuggestReplyResponse", "LanguageSource"),
    "replyintent.v1.ModelState": ("replyintent.v1.ModelInfo", "State"),
}

# Swift type of each scalar field type, and its proto3 default.
SCALARS = {
    F.TYPE_DOUBLE: ("Double", "0"), F.TYPE_FLOAT: ("Float", "0"),
    F.TYPE_INT64: ("Int64", "0"), F.TYPE_SINT64: ("Int64", "0"), F.TYPE_SFIXED64: ("Int64", "0"),
    F.TYPE_UINT64: ("UInt64", "0"), F.TYPE_FIXED64: ("UInt64", "0"),
    F.TYPE_INT32: ("Int32", "0"), F.TYPE_SINT32: ("Int32", "0"), F.TYPE_SFIXED32: ("Int32", "0"),
    F.TYPE_UINT32: ("UInt32", "0"), F.TYPE_FIXED32: ("UInt32", "0"),
    F.TYPE_BOOL: ("Bool", "false"), F.TYPE_STRING: ("String", '""'), F.TYPE_BYTES: ("[UInt8]", "[]"),
}

SWIFT_KEYWORDS = {"associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init", "inout",
                  "let", "operator", "protocol", "static", "struct", "subscript", "typealias", "var", "break",
                  "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
                  "repeat", "return", "switch", "where", "while", "as", "false", "is", "nil", "self", "Self",
                  "super", "throw", "throws", "true", "try", "Type", "Protocol", "Any"}


class GeneratorError(Exception):
    pass


# --- protoc-c's names for C identifiers (protobuf-c 1.4.1, c_helpers.cc) ---

def camel_to_lower(name):
    out, was_upper = "", True
    for ch in name:
        if ch.isupper():
            out += ("" if was_upper else "_") + ch.lower()
        else:
            out += ch
        was_upper = ch.isupper()
    return out


def camel_to_upper(name):
    out, was_upper = "", True
    for ch in name:
        if ch.isupper():
            out += ("" if was_upper else "_") + ch
        else:
            out += ch.upper()
        was_upper = ch.isupper()
    return out


def to_camel(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def c_type(full_name):
    return "__".join(to_camel(p) for p in full_name.split("."))


def c_lower(full_name):
    return "__".join(camel_to_lower(p) for p in full_name.split("."))


def c_upper(full_name):
    return "__".join(camel_to_upper(p) for p in full_name.split("."))


C_KEYWORDS = {"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
              "extern", "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed",
              "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while"}


def c_field(field):
    name = field.name.lower()
    return name + "_" if name in C_KEYWORDS else name


# --- Swift names ---

def lower_camel(snake):
    """`message_id` -> `messageID`, `interval_us` -> `intervalUs`, `TIKTOK_SHOP` -> `tiktokShop`."""
    words = [w for w in snake.lower().split("_") if w]
    words = [w if i == 0 else ("ID" if w == "id" else w.capitalize()) for i, w in enumerate(words)]
    name = "".join(words)
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


class Types:
    """Every message and enum of the descriptor set, by full name (without the leading dot)."""

    def __init__(self, files):
        self.messages, self.enums, self.swift = {}, {}, {}
        for file in files:
            scope = file.package
            for enum in file.enum_type:
                self._enum(enum, scope, None)
            for message in file.message_type:
                self._message(message, scope, None)
        for enum_name, (owner, swift_name) in SWIFT_PLACEMENT.items():
            if enum_name in self.enums:
                if enum_name.rsplit(".", 1)[0] != owner.rsplit(".", 1)[0] or owner not in self.messages:
                    raise GeneratorError(f"SWIFT_PLACEMENT: {owner} is not a top-level message beside {enum_name}")
                self.swift[enum_name] = self.swift[owner] + "." + swift_name

    def _enum(self, enum, scope, parent_swift):
        name = f"{scope}.{enum.name}"
        self.enums[name] = enum
        self.swift[name] = f"{parent_swift}.{enum.name}" if parent_swift else enum.name

    def _message(self, message, scope, parent_swift):
        name = f"{scope}.{message.name}"
        swift = f"{parent_swift}.{message.name}" if parent_swift else message.name
        self.messages[name] = message
        self.swift[name] = swift
        for enum in message.enum_type:
            self._enum(enum, name, swift)
        for nested in message.nested_type:
            self._message(nested, name, swift)

    def is_map(self, field):
        return (field.type == F.TYPE_MESSAGE and field.label == F.LABEL_REPEATED
                and self.messages[field.type_name[1:]].options.map_entry)


class Comments:
    """Leading comments of a file's declarations, by their source path."""

    def __init__(self, file):
        self.by_path = {tuple(loc.path): loc.leading_comments for loc in file.source_code_info.location
                        if loc.leading_comments}

    def doc(self, path, indent, prefix=None):
        text = textwrap.dedent(self.by_path.get(tuple(path), "")).strip("\n")
        lines = [line.rstrip() for line in text.splitlines()]
        if prefix:
            lines = [prefix + (": " + lines[0] if lines else "")] + lines[1:]
        return [f"{indent}/// {line}".rstrip() for line in lines]


def wrap_parameters(head, parameters, tail, indent):
    """`head(p1, p2) tail` on one line if it fits in 116 columns, else parameters on wrapped lines."""
    one_line = f"{indent}{head}({', '.join(parameters)}){tail}"
    if len(one_line) <= 116:
        return [one_line]
    lines, current = [f"{indent}{head}("], indent + "    "
    for index, parameter in enumerate(parameters):
        piece = parameter + ("," if index < len(parameters) - 1 else "")
        if current.strip() and len(current) + 1 + len(piece) > 116:
            lines.append(current.rstrip())
            current = indent + "    "
        current += ("" if not current.strip() else " ") + piece
    lines.append(current.rstrip())
    lines.append(f"{indent}){tail}")
    return lines


def wrap_list(head, items, tail, indent):
    """`head a, b, c tail`, wrapped after `head` when it does not fit in 116 columns."""
    if len(head) + len(", ".join(items)) + len(tail) <= 116:
        return [head + ", ".join(items) + tail]
    lines, current = [head], indent
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if current.strip() and len(current) + 1 + len(piece) > 116:
            lines.append(current.rstrip())
            current = indent
        current += ("" if not current.strip() else " ") + piece
    lines.append(current.rstrip())
    lines.append(indent[:-4] + tail)
    return lines


class FileWriter:
    def __init__(self, file, types):
        self.file, self.types, self.comments = file, types, Comments(file)
        self.out = []

    def emit(self, *lines):
        self.out.extend(lines)

    def write(self):
        self.emit(f"// Generated by Tools/generate-messages.py from {self.file.name}. Do not edit.",
                  "internal import CProtobufC", "internal import CReplyIntentProtos")
        scope = self.file.package
        for index, enum in enumerate(self.file.enum_type):
            if f"{scope}.{enum.name}" not in SWIFT_PLACEMENT:
                self.enum(enum, f"{scope}.{enum.name}", [5, index], "")
        for index, message in enumerate(self.file.message_type):
            self.message(message, f"{scope}.{message.name}", [4, index], "")
        return "\n".join(self.out) + "\n"

    # --- enums ---

    def enum(self, enum, full_name, path, indent):
        swift_name = self.types.swift[full_name].split(".")[-1]
        prefix = camel_to_upper(enum.name) + "_"
        self.emit("")
        self.emit(*self.comments.doc(path, indent, f"`{full_name}`"))
        self.emit(f"{indent}public struct {swift_name}: ProtobufEnum {{",
                  f"{indent}    public var rawValue: Int32",
                  f"{indent}    public init(rawValue: Int32) {{ self.rawValue = rawValue }}")
        numbers = []
        for index, value in enumerate(enum.value):
            name = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
            self.emit(*self.comments.doc(path + [2, index], indent + "    "))
            self.emit(f"{indent}    public static let {lower_camel(name)} = Self(rawValue: {value.number})")
            numbers.append(value.number)
        low, high = min(numbers), max(numbers)
        if sorted(set(numbers)) == list(range(low, high + 1)):
            self.emit(f"{indent}    /// The values the proto declares.",
                      f"{indent}    public static let knownRawValues: ClosedRange<Int32> = {low}...{high}")
        names = [f'({v.number}, "{v.name}")' for v in enum.value]
        self.emit(*wrap_list(f'{indent}    public static let protoValues: [(rawValue: Int32, name: String)] = [',
                             names, "]", indent + "        "))
        self.emit(f'{indent}    public static let protoName = "{full_name}"', f"{indent}}}")

    # --- messages ---

    def message(self, message, full_name, path, indent):
        if message.options.map_entry:
            return
        if message.extension_range or message.extension:
            raise GeneratorError(f"{full_name}: extensions are not supported")
        swift_name = self.types.swift[full_name].split(".")[-1]
        ctype = c_type(full_name)
        lower = c_lower(full_name)
        inner = indent + "    "
        members = self.members(message, full_name, path)
        self.emit("")
        self.emit(*self.comments.doc(path, indent, f"`{full_name}`"))
        self.emit(f"{indent}public struct {swift_name}: CBackedMessage {{",
                  f'{inner}public static let protoName = "{full_name}"')
        for enum_name, (owner, _) in SWIFT_PLACEMENT.items():
            if owner == full_name:
                file_index = [e.name for e in self.file.enum_type].index(enum_name.split(".")[-1])
                self.enum(self.types.enums[enum_name], enum_name, [5, file_index], inner)
        for index, enum in enumerate(message.enum_type):
            self.enum(enum, f"{full_name}.{enum.name}", path + [4, index], inner)
        for index, nested in enumerate(message.nested_type):
            self.message(nested, f"{full_name}.{nested.name}", path + [3, index], inner)
        for member in members:
            member.declare(self, inner)
        self.emit("")
        if members:
            self.emit(*wrap_parameters("public init", [m.parameter for m in members], " {", inner))
            self.emit(*[f"{inner}    self.{m.swift} = {m.swift}" for m in members], f"{inner}}}")
        else:
            self.emit(f"{inner}public init() {{}}")
        self.emit(f"{inner}public init(serializedBytes: [UInt8]) throws(MessageCodingError) "
                  "{ self = try Self.decode(serializedBytes) }",
                  f"{inner}public func serializedBytes() -> [UInt8] {{ encode() }}", "",
                  f"{inner}static func initialize(_ c: UnsafeMutablePointer<{ctype}>) {{ {lower}__init(c) }}")
        reads = [line for m in members for line in m.read()]
        if reads:
            self.emit(f"{inner}init(cMessage: UnsafePointer<{ctype}>) throws(InvalidUTF8Field) {{",
                      f"{inner}    let c = cMessage.pointee", *[f"{inner}    {line}" for line in reads], f"{inner}}}")
        else:
            self.emit(f"{inner}init(cMessage: UnsafePointer<{ctype}>) throws(InvalidUTF8Field) {{}}")
        terms = [t for m in members for t in m.arena_terms()] or ["0"]
        one_line = f"{inner}var arenaByteCount: Int {{ {' + '.join(terms)} }}"
        if len(one_line) <= 116:
            self.emit(one_line)
        else:
            lines, current = [], f"{inner}    {terms[0]}"
            for term in terms[1:]:
                if len(current) + 3 + len(term) > 116:
                    lines.append(current)
                    current = f"{inner}        + {term}"
                else:
                    current += f" + {term}"
            self.emit(f"{inner}var arenaByteCount: Int {{", *lines, current, f"{inner}}}")
        fills = [line for m in members for line in m.fill()]
        if fills:
            self.emit(f"{inner}func fill(_ c: UnsafeMutablePointer<{ctype}>, in arena: inout EncodeArena) {{",
                      *[f"{inner}    {line}" for line in fills], f"{inner}}}")
        else:
            self.emit(f"{inner}func fill(_ c: UnsafeMutablePointer<{ctype}>, in arena: inout EncodeArena) {{}}")
        self.emit(f"{indent}}}")

    def members(self, message, full_name, path):
        members, oneofs = [], {}
        for index, field in enumerate(message.field):
            if field.options.deprecated:
                continue  # not modelled: skipped on decode, never encoded (protoc-c deprecates its C member)
            if field.proto3_optional or self.file.syntax != "proto3":
                raise GeneratorError(f"{full_name}.{field.name}: fields with explicit presence are not supported")
            if field.HasField("oneof_index"):
                if field.oneof_index not in oneofs:
                    oneofs[field.oneof_index] = Oneof(self, message, full_name, field.oneof_index)
                    members.append(oneofs[field.oneof_index])
                oneofs[field.oneof_index].add(field, path + [2, index])
            else:
                members.append(Field(self, field, path + [2, index]))
        return members


class Field:
    """One field that is not in a oneof: its Swift property, C reads and fills."""

    def __init__(self, writer, field, path):
        self.writer, self.field, self.path = writer, field, path
        self.types = writer.types
        self.swift = lower_camel(field.name)
        self.c = c_field(field)
        self.repeated = field.label == F.LABEL_REPEATED
        self.map = self.types.is_map(field)
        if self.map:
            entry = self.types.messages[field.type_name[1:]]
            self.key, self.value = entry.field[0], entry.field[1]
            self.entry_c = c_type(field.type_name[1:])
            self.entry_lower = c_lower(field.type_name[1:])
            key_type, _ = self.element(self.key)
            value_type, _ = self.element(self.value)
            self.type, self.default = f"[{key_type}: {value_type}]", "[:]"
            if self.key.type not in (F.TYPE_STRING, F.TYPE_INT32, F.TYPE_INT64, F.TYPE_UINT32, F.TYPE_UINT64,
                                     F.TYPE_SINT32, F.TYPE_SINT64, F.TYPE_FIXED32, F.TYPE_FIXED64,
                                     F.TYPE_SFIXED32, F.TYPE_SFIXED64):
                raise GeneratorError(f"{field.name}: map keys of this type are not supported")
            if self.value.type in (F.TYPE_BYTES, F.TYPE_ENUM, F.TYPE_BOOL):
                raise GeneratorError(f"{field.name}: map values of this type are not supported")
        else:
            element, default = self.element(field)
            if self.repeated:
                if field.type == F.TYPE_BYTES:
                    raise GeneratorError(f"{field.name}: repeated bytes are not supported")
                self.type, self.default = f"[{element}]", "[]"
            elif field.type == F.TYPE_MESSAGE:
                self.type, self.default = f"{element}?", "nil"
            else:
                self.type, self.default = element, default
        self.parameter = f"{self.swift}: {self.type} = {self.default}"

    def element(self, field):
        if field.type == F.TYPE_MESSAGE:
            return self.types.swift[field.type_name[1:]], "nil"
        if field.type == F.TYPE_ENUM:
            enum_name = field.type_name[1:]
            zero = next(v for v in self.types.enums[enum_name].value if v.number == 0)
            short = camel_to_upper(enum_name.split(".")[-1]) + "_"
            name = zero.name[len(short):] if zero.name.startswith(short) else zero.name
            return self.types.swift[enum_name], "." + lower_camel(name)
        if field.type == F.TYPE_GROUP:
            raise GeneratorError(f"{field.name}: groups are not supported")
        return SCALARS[field.type]

    def declare(self, writer, indent):
        writer.emit(*writer.comments.doc(self.path, indent))
        writer.emit(f"{indent}public var {self.swift}: {self.type}")

    # Reading one C value of `field` (a struct member or an array element) as Swift.
    def read_value(self, field, expression, name):
        if field.type == F.TYPE_STRING:
            return f'try CString.read({expression}, field: "{name}")'
        if field.type == F.TYPE_BYTES:
            return f"CField.bytes({expression})"
        if field.type == F.TYPE_BOOL:
            return f"{expression} != 0"
        if field.type == F.TYPE_ENUM:
            return f"{self.types.swift[field.type_name[1:]]}(c: {expression})"
        return expression

    def read(self):
        f, c, name = self.field, self.c, self.field.name
        if self.map:
            def closure(field, expression):
                throws = " throws(InvalidUTF8Field)" if expression.startswith("try ") else ""
                return f"{{ entry{throws} in {expression} }}"
            key = closure(self.key, self.read_value(self.key, "entry.key", ""))
            if self.value.type == F.TYPE_MESSAGE:
                value_type = self.types.swift[self.value.type_name[1:]]
                value = closure(self.value, f"try {value_type}.mapValue(entry.value, orElse: {value_type}())")
            else:
                value = closure(self.value, self.read_value(self.value, "entry.value", ""))
            return [f'{self.swift} = try CField.map(count: c.n_{c}, c.{c}, field: "{name}",',
                    f"    key: {key},", f"    value: {value})"]
        if self.repeated:
            if f.type == F.TYPE_MESSAGE:
                element = self.types.swift[f.type_name[1:]]
                return [f'{self.swift} = try [{element}](count: c.n_{c}, cMessages: c.{c}, field: "{name}")']
            if f.type == F.TYPE_STRING:
                return [f'{self.swift} = try CString.read(count: c.n_{c}, c.{c}, field: "{name}")']
            return [f"{self.swift} = CField.array(count: c.n_{c}, c.{c}) {{ {self.read_value(f, '$0', name)} }}"]
        if f.type == F.TYPE_MESSAGE:
            return [f'{self.swift} = try {self.types.swift[f.type_name[1:]]}.read(c.{c}, field: "{name}")']
        return [f"{self.swift} = {self.read_value(f, 'c.' + c, name)}"]

    def arena_terms(self):
        f = self.field
        if self.map:
            key = "EncodeArena.byteCount(key)" if self.key.type == F.TYPE_STRING else None
            value = {F.TYPE_STRING: "EncodeArena.byteCount(value)",
                     F.TYPE_MESSAGE: "EncodeArena.messageByteCount(value)"}.get(self.value.type)
            names = f"{'key' if key else '_'}, {'value' if value else '_'}"
            sizes = " + ".join(t for t in (key, value) if t) or "0"
            return [f"EncodeArena.byteCount(map: {self.swift}, entry: {self.entry_c}.self) {{ {names} in {sizes} }}"]
        if self.repeated and f.type not in (F.TYPE_STRING, F.TYPE_MESSAGE):
            return [f"EncodeArena.byteCount(array: {self.swift}, of: {self.c_element_type()}.self)"]
        if f.type in (F.TYPE_STRING, F.TYPE_MESSAGE, F.TYPE_BYTES):
            return [f"EncodeArena.byteCount({self.swift})"]
        return []

    def c_element_type(self):
        f = self.field
        if f.type == F.TYPE_ENUM:
            return c_type(f.type_name[1:])
        if f.type == F.TYPE_BOOL:
            return "protobuf_c_boolean"
        return {"Double": "Double", "Float": "Float", "Int64": "Int64", "UInt64": "UInt64", "Int32": "Int32",
                "UInt32": "UInt32"}[SCALARS[f.type][0]]

    # Filling one C value (a struct member or array element) from a Swift value.
    def fill_value(self, field, target, value):
        if field.type == F.TYPE_STRING:
            return f"arena.set(&{target}, {value})"
        if field.type == F.TYPE_BYTES:
            return f"{target} = arena.bytes({value})"
        if field.type == F.TYPE_BOOL:
            return f"{target} = {value} ? 1 : 0"
        if field.type == F.TYPE_ENUM:
            return f"{target} = {value}.c()"
        if field.type == F.TYPE_MESSAGE:
            return f"{target} = arena.messageStruct({value})"
        return f"{target} = {value}"

    def fill(self):
        f, c = self.field, self.c
        if self.map:
            key = self.fill_value(self.key, "entry.pointee.key", "key")
            value = self.fill_value(self.value, "entry.pointee.value", "value")
            return [f"(c.pointee.n_{c}, c.pointee.{c}) = arena.map({self.swift}, {self.entry_lower}__init) {{",
                    "    entry, key, value, arena in", f"    {key}", f"    {value}", "}"]
        if self.repeated:
            if f.type == F.TYPE_MESSAGE:
                return [f"(c.pointee.n_{c}, c.pointee.{c}) = arena.messages({self.swift})"]
            if f.type == F.TYPE_STRING:
                return [f"(c.pointee.n_{c}, c.pointee.{c}) = arena.strings({self.swift})"]
            convert = {F.TYPE_ENUM: "{ $0.c() }", F.TYPE_BOOL: "{ $0 ? 1 : 0 }"}.get(f.type, "{ $0 }")
            return [f"(c.pointee.n_{c}, c.pointee.{c}) = arena.array({self.swift}, of: {self.c_element_type()}.self) {convert}"]
        if f.type == F.TYPE_MESSAGE:
            return [f"c.pointee.{c} = arena.message({self.swift})"]
        return [self.fill_value(f, f"c.pointee.{c}", self.swift)]


class Oneof:
    """A oneof: a Swift enum with a case per member, and a property holding one case or nil."""

    def __init__(self, writer, message, full_name, index):
        self.writer, self.types = writer, writer.types
        self.decl = message.oneof_decl[index]
        self.swift = lower_camel(self.decl.name)
        self.enum_name = to_camel(self.decl.name)
        self.case_prefix = f"{c_upper(full_name)}__{camel_to_upper(self.decl.name)}_"
        self.case_field = c_field(self.decl) + "_case"
        self.fields = []
        self.parameter = f"{self.swift}: {self.enum_name}? = nil"

    def add(self, field, path):
        if field.type != F.TYPE_MESSAGE:
            raise GeneratorError(f"{field.name}: oneof members other than messages are not supported")
        self.fields.append((field, path, lower_camel(field.name), self.types.swift[field.type_name[1:]]))

    def declare(self, writer, indent):
        writer.emit(f"{indent}/// The `{self.decl.name}` oneof.",
                    f"{indent}public enum {self.enum_name}: Sendable, Equatable {{")
        for field, path, case, swift_type in self.fields:
            writer.emit(*writer.comments.doc(path, indent + "    "))
            writer.emit(f"{indent}    case {case}({swift_type})")
        writer.emit("", f"{indent}    var arenaByteCount: Int {{", f"{indent}        switch self {{")
        for field, path, case, swift_type in self.fields:
            writer.emit(f"{indent}        case .{case}(let value): EncodeArena.messageByteCount(value)")
        writer.emit(f"{indent}        }}", f"{indent}    }}", f"{indent}}}",
                    f"{indent}/// nil when none of the oneof's fields is set.",
                    f"{indent}public var {self.swift}: {self.enum_name}?")

    def read(self):
        lines = [f"switch c.{self.case_field} {{"]
        for field, path, case, swift_type in self.fields:
            lines += [f"case {self.case_prefix}{camel_to_upper(field.name)}:",
                      f'    {self.swift} = try {swift_type}.read(c.{c_field(field)}, field: "{field.name}")'
                      f".map({self.enum_name}.{case})"]
        return lines + ["default:", f"    {self.swift} = nil", "}"]

    def arena_terms(self):
        return [f"({self.swift}?.arenaByteCount ?? 0)"]

    def fill(self):
        lines = [f"switch {self.swift} {{", "case nil:", "    break"]
        for field, path, case, swift_type in self.fields:
            lines += [f"case .{case}(let value):",
                      f"    c.pointee.{self.case_field} = {self.case_prefix}{camel_to_upper(field.name)}",
                      f"    c.pointee.{c_field(field)} = arena.messageStruct(value)"]
        return lines + ["}"]


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    descriptor_set, out_dir, wanted = argv[1], argv[2], argv[3:]
    files = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set, "rb") as handle:
        files.ParseFromString(handle.read())
    try:
        types = Types(files.file)
    except GeneratorError as error:
        sys.exit(f"generate-messages: {error}")
    by_name = {f.name: f for f in files.file}
    os.makedirs(out_dir, exist_ok=True)
    for name in wanted:
        file = by_name.get(name) or sys.exit(f"generate-messages: {name} is not in {descriptor_set}")
        if not file.message_type and not file.enum_type:
            continue
        try:
            text = FileWriter(file, types).write()
        except GeneratorError as error:
            sys.exit(f"generate-messages: {name}: {error}")
        swift_file = re.sub(r"\.proto$", "", name).replace("/", "_") + ".pb.swift"
        with open(os.path.join(out_dir, swift_file), "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main(sys.argv)
