"""The app starts, the schema is migrated, and a person can sign in and see their home."""


def test_sign_in_page_is_public(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)


def test_manager_signs_in_and_sees_their_home(client, make, login):
    home = make.home(beds=2, name="Oak House")
    manager = make.user("registered_manager", homes=[home])
    login(manager)
    page = client.get(f"/homes/{home.id}")
    assert page.status_code == 200
    assert "Oak House" in page.get_data(as_text=True)
