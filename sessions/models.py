"""Sidang, attendance, ranking, closing and forwarding, berita acara."""
