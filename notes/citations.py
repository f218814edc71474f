"""How to cite a note: a GB/T 7714-style reference and schema.org metadata."""

from django.conf import settings


def citation_text(note, authorships, url):
    """``作者. 标题[R/OL]. 机构, 2021-03-22. URL``: the reference a reader pastes into a paper."""
    names = [a.author.name for a in authorships]
    if len(names) > 3:
        names = [*names[:3], "等" if note.language != "en" else "et al"]
    authors = ", ".join(names)
    date = note.published_at.date().isoformat() if note.published_at else ""
    parts = [f"{authors}. " if authors else "", f"{note.title}[R/OL]. ", settings.SITE_NAME]
    if date:
        parts.append(f", {date}")
    parts.append(f". {url}")
    return "".join(parts)


def structured_data(note, authorships, topics, url):
    """schema.org ``Report`` metadata for search engines and reference managers."""
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": note.title,
        "name": note.title,
        "url": url,
        "inLanguage": note.language,
        "abstract": note.summary,
        "author": [
            {
                "@type": "Person",
                "name": a.author.name,
                "jobTitle": a.author.title or None,
                "affiliation": (
                    {"@type": "Organization", "name": a.author.affiliation}
                    if a.author.affiliation
                    else None
                ),
                "url": settings.SITE_URL + a.author.get_absolute_url(),
            }
            for a in authorships
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "keywords": [t.name for t in topics],
    }
    if note.published_at:
        data["datePublished"] = note.published_at.isoformat()
        data["dateModified"] = max(note.published_at, note.updated_at).isoformat()
    if note.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": note.series.name}
    return data
