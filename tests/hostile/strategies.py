"""What a hostile (or merely careless) official may type into a field."""

from hypothesis import strategies as st

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "=cmd|' /C calc'!A0",
    "'; DROP TABLE proposals_proposal; --",
    "\x00",
    "\u202e\u200b",
    "   ",
]

# Text of any kind: control characters, NUL, astral planes, and sometimes very long.
any_text = st.one_of(
    st.text(max_size=30),
    st.text(min_size=190, max_size=300),
    st.sampled_from(PAYLOADS),
    st.just(""),
)

# A number as someone might type it: sensible, huge, negative, exponent, Indonesian or garbage.
number_text = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
    st.sampled_from(
        ["", " ", "0", "-0", "1e400", "9" * 30, "1,5", "1.250.000", "Rp 5", "NaN", "inf", "0x10"]
    ),
    st.text(max_size=8),
)


def one_of_or_junk(*good):
    """A valid value seven times in eight, otherwise anything: with a dozen fields a form,
    enough examples get through whole to test what an accepted one leaves behind."""
    junk = st.one_of(any_text, number_text)
    return st.integers(0, 7).flatmap(lambda n: junk if n == 0 else st.sampled_from(good))
