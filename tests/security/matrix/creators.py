"""Rows of the permission matrix: the creator registry (profiles, staff pages, imports) and
its API. Format: tests/security/README.md."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ekraf.creators import imports
from ekraf.creators import services as creator_services

from . import table

WORLD_ORDER = 10

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
creators:my_profile                                  login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
creators:edit_profile                                login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
creators:sharing                                     login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
creators:export_my_data                              login     ok        ok        ok        ok        ok        ok        ok        ok
creators:delete_account                              login     ok        ok        ok        ok        ok        ok        ok        ok
creators:public_profile                              not_found not_found not_found not_found not_found not_found not_found not_found not_found
creators:photo                                       not_found ok        ok        ok        ok        not_found not_found not_found ok
creators:staff_list                                  login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
creators:staff_export                                login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
creators:import_start                                login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
creators:import_detail                               login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
creators:import_commit                               login     method    method    method    method    method    method    method    method
creators:import_abandon                              login     method    method    method    method    method    method    method    method
creators:staff_detail                                login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
GET /api/v1/creators                                 login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
GET /api/v1/creators/{public_id}                     login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
GET /api/v1/me/profile                               login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
PUT /api/v1/me/profile                               login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
GET /api/v1/creator-imports/{public_id}              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
""")


def world(w):
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(picture, "JPEG")
    creator_services.set_photo(
        w.creator,
        w.profile,
        creator_services.process_photo(SimpleUploadedFile("f.jpg", picture.getvalue())),
    )
    sheet = SimpleUploadedFile(
        "peserta.csv", b"Nama Lengkap,Alamat Email\nAyu Lestari,ayu.lestari@contoh.id\n"
    )
    w.batch = imports.start(w.users["org_a"], w.agency_a, sheet)


ARGS = {
    "creators:public_profile": lambda w: {"public_id": w.profile.public_id},
    "creators:photo": lambda w: {"public_id": w.profile.public_id},
    "creators:staff_detail": lambda w: {"public_id": w.profile.public_id},
    "creators:staff_export": lambda w: {"fmt": "csv"},
    "creators:import_detail": lambda w: {"public_id": w.batch.public_id},
    "creators:import_commit": lambda w: {"public_id": w.batch.public_id},
    "creators:import_abandon": lambda w: {"public_id": w.batch.public_id},
    "/api/v1/creators/{public_id}": lambda w: {"public_id": w.profile.public_id},
    "/api/v1/creator-imports/{public_id}": lambda w: {"public_id": w.batch.public_id},
}
BODIES = {"PUT /api/v1/me/profile": lambda w: {"bio": "Suka memotret pasar."}}
