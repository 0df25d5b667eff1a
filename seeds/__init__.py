"""The fictional demo community 幸福社区 (SPEC §11)."""
