"""The open API: tokens, the figures it serves, the rows it lists, the hours it receives."""
