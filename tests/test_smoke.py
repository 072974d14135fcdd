def test_it_serves_home(client, db):
    assert client.get("/").status_code == 200
