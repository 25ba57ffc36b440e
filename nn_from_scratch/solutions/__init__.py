"""Worked solutions to the book's exercises, one module per exercise."""
