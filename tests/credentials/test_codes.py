"""Verification codes: ≥60 random bits, Crockford base32, mod-37 check symbol catches typos."""

from hypothesis import given
from hypothesis import strategies as st

from ekraf.core.ids import ALPHABET
from ekraf.credentials import codes

data_symbols = st.text(alphabet=ALPHABET, min_size=codes.DATA_LENGTH, max_size=codes.DATA_LENGTH)


def make(data: str) -> str:
    return data + codes.check_symbol(data)


def test_new_codes_carry_60_random_bits_and_a_check_symbol():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 13 and codes.DATA_LENGTH * 5 >= 60
        assert codes.parse(code) == code


@given(data_symbols, st.integers(0, codes.LENGTH - 1), st.sampled_from(codes.CHECK_ALPHABET))
def test_every_single_substitution_is_caught(data, position, symbol):
    code = make(data)
    typo = code[:position] + symbol + code[position + 1 :]
    if typo != code:
        assert codes.parse(typo) is None


@given(data_symbols, st.integers(0, codes.LENGTH - 2))
def test_every_adjacent_transposition_is_caught(data, position):
    code = make(data)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code:
        assert codes.parse(swapped) is None


@given(data_symbols, st.data())
def test_reading_is_forgiving_about_case_hyphens_spaces_and_lookalikes(data, draw):
    code = make(data)
    typed = codes.display(code).lower()
    if draw.draw(st.booleans()):
        typed = typed.replace("-", " ")
    typed = typed.replace("1", draw.draw(st.sampled_from(["1", "i", "I", "l", "L"])))
    typed = typed.replace("0", draw.draw(st.sampled_from(["0", "o", "O"])))
    assert codes.parse(f"  {typed} ") == code


def test_display_groups_by_four():
    assert codes.display("ABCDEFGHJKMNP") == "ABCD-EFGH-JKMN-P"


def test_garbage_is_refused():
    for text in ("", "x", "ABCD", "!" * 13, "ABCDEFGHJKMN*X", "U" * 13):
        assert codes.parse(text) is None
