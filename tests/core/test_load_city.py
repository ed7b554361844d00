"""The loader reads the city's CSV files, refuses bad rows by line, and is idempotent."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from ekraf.core.models import Agency, City, Region, Space, Subsector
from ekraf.core.services import CityDataError, load_city

SHIPPED = Path(settings.EKRAF_CITY_DATA_DIR)


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "city"
    shutil.copytree(SHIPPED, target)
    return target


def counts():
    return (
        City.objects.count(),
        Region.objects.count(),
        Subsector.objects.count(),
        Agency.objects.count(),
        Space.objects.count(),
    )


@pytest.mark.django_db
def test_loads_kota_malang_with_its_57_kelurahan():
    report = load_city(SHIPPED)
    assert report.changed
    city = City.objects.get()
    assert (city.code, city.name, city.short_name) == ("35.73", "Kota Malang", "Malang")
    assert city.logo.name.startswith("city/")
    assert Region.objects.filter(level="kecamatan").count() == 5
    assert Region.objects.filter(level="kelurahan").count() == 57
    dinoyo = Region.objects.get(code="35.73.05.1004")
    assert (dinoyo.name, dinoyo.parent.name) == ("Dinoyo", "Lowokwaru")
    assert dinoyo.label == "Dinoyo, Lowokwaru"
    assert Subsector.objects.count() == 17
    assert Agency.objects.get(code="disnaker-pmptsp").short_name == "Disnaker-PMPTSP"
    assert Space.objects.get(code="auditorium").capacity == 400


@pytest.mark.django_db
def test_rerun_changes_nothing_and_duplicates_nothing():
    load_city(SHIPPED)
    before = counts()
    logo = City.objects.get().logo.name
    report = load_city(SHIPPED)
    assert not report.changed
    assert counts() == before
    assert City.objects.get().logo.name == logo
    assert sum(report.unchanged.values()) == sum(before)


@pytest.mark.django_db
def test_changed_row_is_updated_in_place(data_dir):
    load_city(data_dir)
    path = data_dir / "agencies.csv"
    path.write_text(path.read_text().replace("Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan"))
    report = load_city(data_dir)
    assert report.updated == {"perangkat daerah": 1}
    assert Agency.objects.get(code="disdikbud").name == "Dinas Pendidikan"


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_nothing_is_written(data_dir):
    regions = data_dir / "regions.csv"
    lines = regions.read_text().splitlines()
    lines[5] = "35.73.01.10X5,Blimbing,kelurahan,35.73.01"  # bad code, file line 6
    lines.append("35.73.09.1001,Entah,kelurahan,35.73.09")  # unknown parent, line 65
    lines.append("35.73.01.1001,Ganda,kelurahan,35.73.01")  # duplicate code, line 66
    regions.write_text("\n".join(lines) + "\n")
    agencies = data_dir / "agencies.csv"
    agencies.write_text(agencies.read_text() + "Bad Code,X,Nama,dinas\n")  # line 10

    with pytest.raises(CityDataError) as err:
        load_city(data_dir)
    problems = err.value.problems
    assert any("regions.csv baris 6" in p and "10X5" in p for p in problems)
    assert any("regions.csv baris 65" in p and "induk" in p for p in problems)
    assert any("regions.csv baris 66" in p and "sudah ada di baris 4" in p for p in problems)
    assert any("agencies.csv baris 10" in p and "kode" in p for p in problems)
    assert any("agencies.csv baris 10" in p and "jenis 'dinas'" in p for p in problems)
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_missing_columns_and_files_are_reported(tmp_path):
    (tmp_path / "regions.csv").write_text("code,name\n35.73,Kota\n")
    with pytest.raises(CityDataError) as err:
        load_city(tmp_path)
    text = "\n".join(err.value.problems)
    assert "kolom tidak ada" in text
    assert "subsectors*.csv tidak ditemukan" in text
    assert "agencies*.csv tidak ditemukan" in text


@pytest.mark.django_db
def test_reads_the_shared_files_as_the_city_keeps_them(tmp_path):
    """File names like regions-kota-malang.csv and an Excel UTF-8 BOM are accepted."""
    for name in ("regions", "agencies", "subsectors", "spaces"):
        content = (SHIPPED / f"{name}.csv").read_bytes()
        (tmp_path / f"{name}-kota-malang.csv").write_bytes(b"\xef\xbb\xbf" + content)
    load_city(tmp_path)
    assert Region.objects.filter(level="kelurahan").count() == 57
    assert City.objects.count() == 0  # no city.csv there: the city row is optional


@pytest.mark.django_db
def test_another_citys_files_cannot_take_over_the_installation(data_dir):
    load_city(SHIPPED)
    city = data_dir / "city.csv"
    city.write_text(city.read_text().replace("35.73,Kota Malang", "35.78,Kota Surabaya"))
    with pytest.raises(CityDataError):
        load_city(data_dir)
    assert City.objects.get().code == "35.73"


@pytest.mark.django_db
def test_command_reports_problems_and_fails(data_dir, capsys):
    (data_dir / "subsectors.csv").write_text("code,name_id,name_en\nmusik,,Music\n")
    with pytest.raises(CommandError, match="tidak ada data yang diubah"):
        call_command("load_city", str(data_dir))
    assert "subsectors.csv baris 2" in capsys.readouterr().err
    call_command("load_city")
    assert "Data kota dimuat" in capsys.readouterr().out
