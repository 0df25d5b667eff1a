"""The office app (`cadre-tui office`): the sub-district clerk's Week, Import and Export screens."""
