"""The open API's vocabulary: token scopes, token secrets, pagination cursors, posted hours."""
