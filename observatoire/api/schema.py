"""Additions to the OpenAPI schema: the error format, on every operation that can answer it."""

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Messages per field, for validation errors (400).",
                },
            },
        }
    },
}

DESCRIPTIONS = {
    "400": "Invalid data or parameters.",
    "401": "No token, or an invalid or expired one.",
    "403": "The token's account may not do this.",
    "404": "Nothing at this address.",
    "405": "This method is not offered here.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait before the next one.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook of drf-spectacular: document the JSON errors of each operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            # 404 on lists too: a page past the last one.
            codes = ["400", "401", "403", "404", "405", "429"]
            if "requestBody" in operation:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
