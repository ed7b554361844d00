from ninja import Router

router = Router(tags=["E-sertifikat"])
