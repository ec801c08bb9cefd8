"""Pango contexts and font descriptions shared between the text layouts of one font.

WeasyPrint builds a fresh ``PangoContext``, font description and (for decorated
text) font metrics in ``Layout.setup`` (``weasyprint/text/line_break.py``) for
every layout it makes: one for each line broken, each word measured for a
min-content width, each line redrawn, about a thousand for a 3-page handout,
and 4 % of its rendering time. They depend only on the font map and on the
style's direction, language and font properties, so :func:`install` replaces
``setup`` with :func:`_setup`, which takes them from a cache of this thread
(Pango objects are not shared between threads) keyed by exactly those values.
Each layout still gets its own ``PangoLayout`` and attribute list: nothing a
layout changes later (text, width, letter spacing) is shared. The PDF bytes are
the same (tests/render/test_pangoshare.py).

The replaced method is WeasyPrint 70's; :func:`install` leaves any other alone,
recognised by a digest of its source.
"""

from __future__ import annotations

import hashlib
import inspect
import threading
from typing import Any

from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

#: The digest of the ``Layout.setup`` source that :func:`_setup` reproduces.
EXPECTED_SOURCE_SHA256 = "fb227a55094f41d42fbd57f180d8b7a9"

#: Cached contexts per thread beyond which the cache starts again (one per font in use).
LIMIT = 512

#: Off: every layout is set up by WeasyPrint's own method (for comparisons).
ENABLED = True

#: WeasyPrint's own ``setup`` once replaced; ``refused`` once found to be another.
_state: dict[str, Any] = {"original": None, "refused": False}
_local = threading.local()


def source_digest(function: Any) -> str | None:
    """The first 32 hex digits of the SHA-256 of ``function``'s source (None if unreadable)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):  # no source shipped (bytecode only): treated as unknown
        return None
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def all_known(found: dict[str, Any], expected: dict[str, str]) -> bool:
    """Whether every function in ``found`` exists and has the source digest ``expected``
    gives under its name."""
    return all(
        function is not None and source_digest(function) == expected[name]
        for name, function in found.items()
    )


def replace_known(
    state: dict[str, Any], owner: Any, name: str, digest: str, replacement: Any
) -> bool:
    """Put ``replacement`` in place of ``owner.name`` when that is the function whose source
    has ``digest`` (once: ``state`` keeps the original, or that it was refused, and later
    calls only report it). False, and nothing changed, for any other function."""
    if state["original"] is not None:
        return True
    if state["refused"]:
        return False
    original = getattr(owner, name, None)
    if original is None or source_digest(original) != digest:
        state["refused"] = True
        return False
    state["original"] = original
    setattr(owner, name, replacement)
    return True


def install() -> bool:
    """Make WeasyPrint's layouts share contexts (once; later calls do nothing).
    False, and nothing changed, if this WeasyPrint's ``Layout.setup`` is another."""
    return replace_known(_state, line_break.Layout, "setup", EXPECTED_SOURCE_SHA256, _setup)


def _cache() -> dict[tuple[Any, ...], tuple[Any, Any, Any, Any]]:
    cache: dict[tuple[Any, ...], tuple[Any, Any, Any, Any]] | None = getattr(
        _local, "cache", None
    )
    if cache is None or len(cache) >= LIMIT:
        cache = _local.cache = {}
    return cache


def _key(style: Any) -> tuple[Any, ...]:
    variations = style["font_variation_settings"]
    return (
        style.font_config,
        style["direction"],
        style["font_language_override"],
        style["lang"],
        tuple(style["font_family"]),
        style["font_style"],
        style["font_stretch"],
        style["font_weight"],
        style["font_size"],
        style["font_variant_caps"],
        variations if variations == "normal" else tuple(variations),
        style["text_decoration_line"] != "none",
    )


def _shared(style: Any) -> tuple[Any, Any, Any, Any]:
    """(context, language, font description, decoration metrics or None) for ``style``."""
    cache = _cache()
    key = _key(style)
    found = cache.get(key)
    if found is not None:
        return found
    context = ffi.gc(
        pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref
    )
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    override = style["font_language_override"]
    if override != "normal":
        lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(override.lower(), override))
    elif style["lang"]:
        lang_p, lang = unicode_to_char_p(style["lang"])
    else:
        lang = None
        language = pango.pango_language_get_default()
    if lang:
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    description = get_font_description(style)
    metrics = None
    if style["text_decoration_line"] != "none":
        font_metrics = ffi.gc(
            pango.pango_context_get_metrics(context, description, language),
            pango.pango_font_metrics_unref,
        )
        metrics = tuple(
            FROM_UNITS * getter(font_metrics)
            for getter in (
                pango.pango_font_metrics_get_ascent,
                pango.pango_font_metrics_get_underline_position,
                pango.pango_font_metrics_get_strikethrough_position,
                pango.pango_font_metrics_get_underline_thickness,
                pango.pango_font_metrics_get_strikethrough_thickness,
            )
        )
    found = cache[key] = (context, language, description, metrics)
    return found


def _setup(self: Any, style: Any) -> None:
    """WeasyPrint 70's ``Layout.setup`` with the context, language, font description and
    metrics taken from :func:`_shared`."""
    if not ENABLED:
        _state["original"](self, style)
        return
    self.style = style
    self.first_line_direction = 0
    context, self.language, description, metrics = _shared(style)
    self.layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, description)
    if metrics is None:
        self.ascent = self.underline_position = self.strikethrough_position = None
    else:
        (
            self.ascent,
            self.underline_position,
            self.strikethrough_position,
            self.underline_thickness,
            self.strikethrough_thickness,
        ) = metrics
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"],
        style["font_variant_position"], style["font_variant_caps"],
        style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"],
    )
    if features:
        settings = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        # WeasyPrint keeps one attribute per feature string (its own leak guard).
        attr = style.font_config.font_features.setdefault(
            settings, pango.pango_attr_font_features_new(settings)
        )
        attr_list = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)
