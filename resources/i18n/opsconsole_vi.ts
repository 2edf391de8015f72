<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Access</name>
    <message>
        <source>viewer</source>
        <translation>người xem</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>điều hành viên</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>giám sát viên</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>quản trị viên</translation>
    </message>
    <message>
        <source>logged in</source>
        <translation>đăng nhập</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>đăng xuất</translation>
    </message>
    <message>
        <source>took over the shift</source>
        <translation>nhận bàn giao ca</translation>
    </message>
    <message>
        <source>screen locked</source>
        <translation>khóa màn hình</translation>
    </message>
    <message>
        <source>log-in failed</source>
        <translation>đăng nhập sai</translation>
    </message>
    <message>
        <source>log-in refused</source>
        <translation>từ chối đăng nhập</translation>
    </message>
    <message>
        <source>changed password</source>
        <translation>đổi mật khẩu</translation>
    </message>
    <message>
        <source>acknowledged alarm</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelved alarm</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>unshelved alarm</source>
        <translation>bỏ tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>took alarm out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>returned alarm to service</source>
        <translation>giám sát lại cảnh báo</translation>
    </message>
    <message>
        <source>added account</source>
        <translation>thêm tài khoản</translation>
    </message>
    <message>
        <source>reset password</source>
        <translation>cấp lại mật khẩu</translation>
    </message>
    <message>
        <source>disabled account</source>
        <translation>vô hiệu hóa tài khoản</translation>
    </message>
    <message>
        <source>enabled account</source>
        <translation>kích hoạt lại tài khoản</translation>
    </message>
    <message>
        <source>loaded site configuration</source>
        <translation>nạp cấu hình trạm</translation>
    </message>
    <message>
        <source>opened incident</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>closed incident</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>escalated to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>changed incident status</source>
        <translation>đổi trạng thái sự cố</translation>
    </message>
    <message>
        <source>changed incident</source>
        <translation>sửa thông tin sự cố</translation>
    </message>
    <message>
        <source>noted on incident</source>
        <translation>ghi chú vào sự cố</translation>
    </message>
    <message>
        <source>linked to incident</source>
        <translation>liên kết vào sự cố</translation>
    </message>
    <message>
        <source>did procedure step</source>
        <translation>thực hiện bước quy trình</translation>
    </message>
    <message>
        <source>skipped procedure step</source>
        <translation>bỏ qua bước quy trình</translation>
    </message>
    <message>
        <source>prepared shift handover</source>
        <translation>lập báo cáo bàn giao ca</translation>
    </message>
    <message>
        <source>took over shift handover</source>
        <translation>nhận bàn giao ca</translation>
    </message>
    <message>
        <source>Log-ins and shifts</source>
        <translation>Đăng nhập và ca trực</translation>
    </message>
    <message>
        <source>Alarm commands</source>
        <translation>Thao tác cảnh báo</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <source>Incidents and handovers</source>
        <translation>Sự cố và bàn giao ca</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>đã khóa</translation>
    </message>
    <message>
        <source>on duty</source>
        <translation>đang trực</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by the person on duty</source>
        <translation>người trực tự khóa</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>sai mật khẩu</translation>
    </message>
    <message>
        <source>no such account</source>
        <translation>không có tài khoản này</translation>
    </message>
    <message>
        <source>account disabled</source>
        <translation>tài khoản bị vô hiệu hóa</translation>
    </message>
    <message>
        <source>account waiting after failed log-ins</source>
        <translation>tài khoản đang chờ sau nhiều lần đăng nhập sai</translation>
    </message>
    <message>
        <source>first administrator</source>
        <translation>quản trị viên đầu tiên</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>khởi động bàn điều khiển</translation>
    </message>
    <message>
        <source>waiting until %1</source>
        <translation>chờ đến %1</translation>
    </message>
    <message>
        <source>%1 (OS account, not logged in)</source>
        <translation>%1 (tài khoản hệ điều hành, không đăng nhập)</translation>
    </message>
    <message>
        <source>Refused: nobody is logged in. Log in first.</source>
        <translation>Bị từ chối: chưa có ai đăng nhập. Hãy đăng nhập trước.</translation>
    </message>
    <message>
        <source>Refused: the screen is locked. Log in to continue.</source>
        <translation>Bị từ chối: màn hình đang khóa. Đăng nhập để tiếp tục.</translation>
    </message>
    <message>
        <source>Refused: you are no longer on duty at this workstation.</source>
        <translation>Bị từ chối: bạn không còn trực tại máy này.</translation>
    </message>
    <message>
        <source>Refused: your role (%1) may not %2.</source>
        <translation>Bị từ chối: vai trò của bạn (%1) không được %2.</translation>
    </message>
    <message>
        <source>Wrong user id or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>This account is disabled: ask an administrator.</source>
        <translation>Tài khoản này đã bị vô hiệu hóa: hãy liên hệ quản trị viên.</translation>
    </message>
    <message>
        <source>Too many failed log-ins: this account can try again at %1.</source>
        <translation>Đăng nhập sai quá nhiều lần: tài khoản này có thể thử lại lúc %1.</translation>
    </message>
    <message>
        <source>One-time password: choose a new one, type it twice and log in.</source>
        <translation>Mật khẩu dùng một lần: hãy đặt mật khẩu mới, nhập hai lần rồi đăng nhập.</translation>
    </message>
    <message>
        <source>The new password needs at least 10 characters, must differ from the old one and must not be built on the user id.</source>
        <translation>Mật khẩu mới cần ít nhất 10 ký tự, khác mật khẩu cũ và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>A password needs at least 10 characters and must not be built on the user id.</source>
        <translation>Mật khẩu cần ít nhất 10 ký tự và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>Accounts exist already: log in.</source>
        <translation>Đã có tài khoản: hãy đăng nhập.</translation>
    </message>
    <message>
        <source>An account with this user id exists already.</source>
        <translation>Đã có tài khoản với tên đăng nhập này.</translation>
    </message>
    <message>
        <source>There is no such account.</source>
        <translation>Không có tài khoản này.</translation>
    </message>
    <message>
        <source>A user id has 1-64 characters from a-z 0-9 . _ - (lower case).</source>
        <translation>Tên đăng nhập gồm 1-64 ký tự a-z 0-9 . _ - (chữ thường).</translation>
    </message>
    <message>
        <source>Choose at least one role.</source>
        <translation>Hãy chọn ít nhất một vai trò.</translation>
    </message>
    <message>
        <source>A full name is needed.</source>
        <translation>Cần nhập họ và tên.</translation>
    </message>
    <message>
        <source>This is the last administrator: add another one first.</source>
        <translation>Đây là quản trị viên cuối cùng: hãy thêm một quản trị viên khác trước.</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Không có gì thay đổi.</translation>
    </message>
    <message>
        <source>view the console</source>
        <translation>xem bàn điều khiển</translation>
    </message>
    <message>
        <source>read the action log</source>
        <translation>đọc nhật ký thao tác</translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelve alarms</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>take alarms out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>open incidents</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>work on incidents</source>
        <translation>xử lý sự cố</translation>
    </message>
    <message>
        <source>close incidents</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>hand over the shift</source>
        <translation>bàn giao ca</translation>
    </message>
    <message>
        <source>escalate to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>quản lý tài khoản</translation>
    </message>
    <message>
        <source>edit the site configuration</source>
        <translation>sửa cấu hình trạm</translation>
    </message>
</context>
<context>
    <name>ActionLogModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
</context>
<context>
    <name>ActionLogPanel</name>
    <message>
        <source>Search the action log: user, name, alarm, note, workstation</source>
        <translation>Tìm trong nhật ký thao tác: tên đăng nhập, họ tên, cảnh báo, ghi chú, máy trạm</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Mọi thao tác</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Check the chain</source>
        <translation>Kiểm tra chuỗi băm</translation>
    </message>
    <message>
        <source>Recompute every entry&apos;s SHA-256 and its link to the previous one</source>
        <translation>Tính lại SHA-256 của từng mục và liên kết của nó với mục trước</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>The action log could not be read: %1</source>
        <translation>Không đọc được nhật ký thao tác: %1</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>Chain intact: %1 entries, head no. %2, SHA-256 %3…</source>
        <translation>Chuỗi nguyên vẹn: %1 mục, mục cuối số %2, SHA-256 %3…</translation>
    </message>
    <message>
        <source>changed after it was written</source>
        <translation>bị sửa sau khi ghi</translation>
    </message>
    <message>
        <source>an entry before it is missing</source>
        <translation>thiếu một mục trước nó</translation>
    </message>
    <message>
        <source>does not link to the entry before it</source>
        <translation>không nối với mục trước nó</translation>
    </message>
    <message>
        <source>numbered out of order</source>
        <translation>đánh số sai thứ tự</translation>
    </message>
    <message>
        <source>entries sent to the city are missing from the end</source>
        <translation>thiếu các mục cuối đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>differs from the copy sent to the city</source>
        <translation>khác bản đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>Chain BROKEN: first bad entry no. %1 — %2 (%3 problems).</source>
        <translation>Chuỗi BỊ HỎNG: mục sai đầu tiên số %1 — %2 (%3 vấn đề).</translation>
    </message>
</context>
<context>
    <name>Alarm</name>
    <message>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>active, unacknowledged</source>
        <translation>đang xảy ra, chưa xác nhận</translation>
    </message>
    <message>
        <source>active, acknowledged</source>
        <translation>đang xảy ra, đã xác nhận</translation>
    </message>
    <message>
        <source>cleared, unacknowledged</source>
        <translation>đã hết, chưa xác nhận</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>tạm gác</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>ngừng giám sát</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <source>high level</source>
        <translation>mức cao</translation>
    </message>
    <message>
        <source>low level</source>
        <translation>mức thấp</translation>
    </message>
    <message>
        <source>rising fast</source>
        <translation>tăng nhanh</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>stuck value</source>
        <translation>giá trị đứng yên</translation>
    </message>
    <message>
        <source>procedure step overdue</source>
        <translation>quá hạn bước quy trình</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>bắt đầu</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>kết thúc</translation>
    </message>
    <message>
        <source>severity changed</source>
        <translation>đổi mức độ</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>bỏ tạm gác</translation>
    </message>
    <message>
        <source>back in service</source>
        <translation>giám sát lại</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Silence (Ctrl+M)</source>
        <translation>Tắt chuông (Ctrl+M)</translation>
    </message>
    <message>
        <source>unacknowledged: %1</source>
        <translation>chưa xác nhận: %1</translation>
    </message>
    <message>
        <source>No unacknowledged alarms</source>
        <translation>Không có cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>%1 new alarms (%2 in %3): %4</source>
        <translation>%1 cảnh báo mới (%2 ở %3): %4</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>Xác nhận (Ctrl+K)</translation>
    </message>
    <message>
        <source>Acknowledge all (Ctrl+Shift+K)</source>
        <translation>Xác nhận tất cả (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <source>Shelving reason (required)</source>
        <translation>Lý do tạm gác (bắt buộc)</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Ngừng giám sát</translation>
    </message>
    <message>
        <source>Return to service</source>
        <translation>Giám sát lại</translation>
    </message>
    <message>
        <source>Open incident… (Ctrl+I)</source>
        <translation>Mở sự cố… (Ctrl+I)</translation>
    </message>
    <message>
        <source>An incident from the selected alarms, or link them to an open one</source>
        <translation>Mở sự cố từ các cảnh báo đang chọn, hoặc liên kết vào sự cố đang mở</translation>
    </message>
    <message>
        <source>Search the journal: feed id, user, note, event</source>
        <translation>Tìm trong nhật ký: mã nguồn, người dùng, ghi chú, sự kiện</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Current alarms</source>
        <translation>Cảnh báo hiện tại</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Nhật ký cảnh báo</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>Acknowledged %1 of %2 selected.</source>
        <translation>Đã xác nhận %1 trên %2 cảnh báo đã chọn.</translation>
    </message>
    <message>
        <source>Shelving needs a reason.</source>
        <translation>Tạm gác cần có lý do.</translation>
    </message>
    <message>
        <source>Taking an alarm out of service needs a reason.</source>
        <translation>Ngừng giám sát cần có lý do.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note or reason</source>
        <translation>Ghi chú hoặc lý do</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
</context>
<context>
    <name>DutyBar</name>
    <message>
        <source>Lock (Ctrl+L)</source>
        <translation>Khóa (Ctrl+L)</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Nobody is on duty: log in to act. Alarms and feeds keep running.</source>
        <translation>Chưa có người trực: đăng nhập để thao tác. Cảnh báo và dữ liệu vẫn chạy.</translation>
    </message>
    <message>
        <source>Screen locked (%1) — %2 is on duty. Log in to continue, or take over.</source>
        <translation>Màn hình đã khóa (%1) — %2 đang trực. Đăng nhập để tiếp tục, hoặc nhận ca.</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by hand</source>
        <translation>khóa thủ công</translation>
    </message>
    <message>
        <source>Acting as %1 (OS account, not logged in) — %2</source>
        <translation>Đang thao tác bằng %1 (tài khoản hệ điều hành, không đăng nhập) — %2</translation>
    </message>
    <message>
        <source>On duty: %1 (%2) — %3 — since %4</source>
        <translation>Đang trực: %1 (%2) — %3 — từ %4</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Tạo quản trị viên</translation>
    </message>
    <message>
        <source>First start: no accounts yet. Create the first administrator.</source>
        <translation>Lần chạy đầu: chưa có tài khoản. Hãy tạo quản trị viên đầu tiên.</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Nhận ca</translation>
    </message>
    <message>
        <source>The log-in could not be recorded: see the log.</source>
        <translation>Không ghi được lần đăng nhập: xem nhật ký hệ thống.</translation>
    </message>
    <message>
        <source>Type your user id.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>Hai mật khẩu mới không khớp.</translation>
    </message>
    <message>
        <source>— the next person logs in here to take over</source>
        <translation>— người nhận ca đăng nhập tại đây</translation>
    </message>
</context>
<context>
    <name>FeedKind</name>
    <message>
        <source>River level</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <source>Rainfall</source>
        <translation>Lượng mưa</translation>
    </message>
    <message>
        <source>Air quality (PM2.5)</source>
        <translation>Chất lượng không khí (PM2.5)</translation>
    </message>
    <message>
        <source>Traffic flow</source>
        <translation>Lưu lượng giao thông</translation>
    </message>
    <message>
        <source>Traffic speed</source>
        <translation>Tốc độ giao thông</translation>
    </message>
    <message>
        <source>CCTV events</source>
        <translation>Sự kiện camera</translation>
    </message>
</context>
<context>
    <name>FeedState</name>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>không chắc chắn</translation>
    </message>
    <message>
        <source>bad</source>
        <translation>hỏng</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa có dữ liệu</translation>
    </message>
</context>
<context>
    <name>FeedTreeModel</name>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Cách đây</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Chất lượng</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
</context>
<context>
    <name>HandoverPage</name>
    <message>
        <source>None.</source>
        <translation>Không có.</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
    <message>
        <source>Shift from %1 to %2</source>
        <translation>Ca trực từ %1 đến %2</translation>
    </message>
    <message>
        <source>Prepared by %1 (%2) at %3</source>
        <translation>Lập bởi %1 (%2) tại máy %3</translation>
    </message>
    <message>
        <source>Generated from the site log by the command line</source>
        <translation>Lập từ nhật ký của trạm bằng dòng lệnh</translation>
    </message>
    <message>
        <source>OVERDUE since %1</source>
        <translation>QUÁ HẠN từ %1</translation>
    </message>
    <message>
        <source>due in %1</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>(không bắt buộc)</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Người phụ trách</translation>
    </message>
    <message>
        <source>Steps still to do</source>
        <translation>Các bước chưa làm</translation>
    </message>
    <message>
        <source>Incidents not closed</source>
        <translation>Sự cố chưa đóng</translation>
    </message>
    <message>
        <source>Incidents closed this shift</source>
        <translation>Sự cố đã đóng trong ca</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>Đóng lúc</translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation>Cảnh báo đang hoạt động</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Shelved alarms</source>
        <translation>Cảnh báo đang tạm gác</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Shelved by</source>
        <translation>Người tạm gác</translation>
    </message>
    <message>
        <source>Alarms out of service</source>
        <translation>Cảnh báo ngừng giám sát</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Sensors silent or reporting bad data</source>
        <translation>Cảm biến mất tín hiệu hoặc dữ liệu xấu</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Cảm biến</translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation>Số liệu cuối</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>%1 trước</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>City link</source>
        <translation>Kết nối với thành phố</translation>
    </message>
    <message>
        <source>Not configured: this console does not report to the city.</source>
        <translation>Chưa cấu hình: trạm này không gửi báo cáo lên thành phố.</translation>
    </message>
    <message>
        <source>online</source>
        <translation>đang kết nối</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>đang kết nối lại</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <source>refused by the hub</source>
        <translation>bị máy chủ thành phố từ chối</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>unknown (the console is not running)</source>
        <translation>không rõ (trạm không chạy)</translation>
    </message>
    <message>
        <source>State: %1. Records not yet acknowledged by the city: %2.</source>
        <translation>Trạng thái: %1. Bản ghi thành phố chưa xác nhận: %2.</translation>
    </message>
    <message>
        <source>Notes for the next shift</source>
        <translation>Ghi chú cho ca sau</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người ghi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Report SHA-256: %1</source>
        <translation>Mã SHA-256 của báo cáo: %1</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <source>Prepare the handover of my shift</source>
        <translation>Lập báo cáo bàn giao ca của tôi</translation>
    </message>
    <message>
        <source>Stores the report, records it in the action log and writes its PDF</source>
        <translation>Lưu báo cáo, ghi vào nhật ký thao tác và xuất tệp PDF</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Xem trước</translation>
    </message>
    <message>
        <source>Note on taking over (optional)</source>
        <translation>Ghi chú khi nhận ca (không bắt buộc)</translation>
    </message>
    <message>
        <source>Take over this shift</source>
        <translation>Nhận bàn giao ca này</translation>
    </message>
    <message>
        <source>The handover failed: %1</source>
        <translation>Không bàn giao được: %1</translation>
    </message>
    <message>
        <source>No handover report yet.</source>
        <translation>Chưa có báo cáo bàn giao ca nào.</translation>
    </message>
    <message>
        <source>Report no. %1 by %2 at %3, taken over by %4 at %5.</source>
        <translation>Báo cáo số %1 do %2 lập lúc %3, %4 đã nhận lúc %5.</translation>
    </message>
    <message>
        <source>Report no. %1 by %2 at %3: not yet taken over.</source>
        <translation>Báo cáo số %1 do %2 lập lúc %3: chưa có người nhận.</translation>
    </message>
    <message>
        <source>PDF: %1</source>
        <translation>Tệp PDF: %1</translation>
    </message>
    <message>
        <source>Preview: not stored, not handed over.</source>
        <translation>Xem trước: chưa lưu, chưa bàn giao.</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Đang lập báo cáo…</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Tùy chọn…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Tải</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Remove feed</source>
        <translation>Bỏ nguồn</translation>
    </message>
    <message>
        <source>Feeds (Ctrl+H adds the selected ones)</source>
        <translation>Nguồn dữ liệu (Ctrl+H để thêm nguồn đang chọn)</translation>
    </message>
    <message>
        <source>Add feeds first.</source>
        <translation>Hãy thêm nguồn dữ liệu trước.</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Thời điểm kết thúc phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <source>min/max/mean per bucket</source>
        <translation>nhỏ nhất/lớn nhất/trung bình theo khoảng</translation>
    </message>
    <message>
        <source>raw readings</source>
        <translation>số đo gốc</translation>
    </message>
    <message>
        <source>%1 points, %2</source>
        <translation>%1 điểm, %2</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>Đã xuất %1 dòng ra %2</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <source>in %1</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>quá hạn %1</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>đã tiếp nhận</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>đã chuyển lên thành phố</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>đã xử lý xong</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <source>to do</source>
        <translation>chưa làm</translation>
    </message>
    <message>
        <source>done</source>
        <translation>đã làm</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>bỏ qua</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>trưởng ca</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>người phụ trách</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>mức độ</translation>
    </message>
    <message>
        <source>title</source>
        <translation>tiêu đề</translation>
    </message>
    <message>
        <source>ward</source>
        <translation>phường</translation>
    </message>
    <message>
        <source>location</source>
        <translation>địa điểm</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <source>feed</source>
        <translation>cảm biến</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>status</source>
        <translation>trạng thái</translation>
    </message>
    <message>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>thay đổi</translation>
    </message>
    <message>
        <source>linked</source>
        <translation>liên kết</translation>
    </message>
    <message>
        <source>steps added</source>
        <translation>thêm bước</translation>
    </message>
    <message>
        <source>step done</source>
        <translation>đã làm bước</translation>
    </message>
    <message>
        <source>step skipped</source>
        <translation>bỏ qua bước</translation>
    </message>
    <message>
        <source>step overdue</source>
        <translation>bước quá hạn</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>báo cáo thành phố</translation>
    </message>
    <message>
        <source>No such incident.</source>
        <translation>Không có sự cố này.</translation>
    </message>
    <message>
        <source>There is no procedure for this incident type.</source>
        <translation>Không có quy trình cho loại sự cố này.</translation>
    </message>
    <message>
        <source>The incident cannot go to that status from where it is.</source>
        <translation>Sự cố không thể chuyển sang trạng thái đó từ trạng thái hiện tại.</translation>
    </message>
    <message>
        <source>Required steps are not done or skipped yet: the incident cannot close.</source>
        <translation>Còn bước bắt buộc chưa làm hoặc chưa bỏ qua: chưa thể đóng sự cố.</translation>
    </message>
    <message>
        <source>No such step.</source>
        <translation>Không có bước này.</translation>
    </message>
    <message>
        <source>That step is done or skipped already.</source>
        <translation>Bước này đã làm hoặc đã bỏ qua.</translation>
    </message>
    <message>
        <source>Skipping a step needs a reason.</source>
        <translation>Bỏ qua một bước cần có lý do.</translation>
    </message>
    <message>
        <source>That step is a supervisor&apos;s.</source>
        <translation>Bước này do trưởng ca thực hiện.</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>Ghi chú đang trống.</translation>
    </message>
    <message>
        <source>An incident needs a title.</source>
        <translation>Sự cố cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Severity must be 1, 2 or 3.</source>
        <translation>Mức độ phải là 1, 2 hoặc 3.</translation>
    </message>
    <message>
        <source>An alarm selected no longer exists.</source>
        <translation>Một cảnh báo đã chọn không còn tồn tại.</translation>
    </message>
    <message>
        <source>A feed named is not in this site.</source>
        <translation>Có cảm biến không thuộc trạm này.</translation>
    </message>
    <message>
        <source>The incident is closed: reopen it first.</source>
        <translation>Sự cố đã đóng: hãy mở lại trước.</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>No such handover report.</source>
        <translation>Không có báo cáo bàn giao này.</translation>
    </message>
    <message>
        <source>This handover was acknowledged already.</source>
        <translation>Báo cáo bàn giao này đã có người nhận.</translation>
    </message>
    <message>
        <source>The person taking over acknowledges the handover, not its author.</source>
        <translation>Người nhận ca xác nhận bàn giao, không phải người lập báo cáo.</translation>
    </message>
    <message>
        <source>for handover</source>
        <translation>để bàn giao</translation>
    </message>
</context>
<context>
    <name>IncidentListModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Người phụ trách</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Mở lúc</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Các bước</translation>
    </message>
    <message>
        <source>%1 to do</source>
        <translation>%1 bước chưa làm</translation>
    </message>
</context>
<context>
    <name>IncidentView</name>
    <message>
        <source>⚠ sample procedure</source>
        <translation>⚠ quy trình mẫu</translation>
    </message>
    <message>
        <source>Sample procedure: to be replaced by the city&apos;s own before real use.</source>
        <translation>Quy trình mẫu: cần thay bằng quy trình của thành phố trước khi dùng thật.</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>Bắt đầu xử lý</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Chuyển lên thành phố</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng sự cố</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Nhận phụ trách</translation>
    </message>
    <message>
        <source>Become the owner of this incident</source>
        <translation>Trở thành người phụ trách sự cố này</translation>
    </message>
    <message>
        <source>Why (with a status change; optional)</source>
        <translation>Lý do (kèm đổi trạng thái, không bắt buộc)</translation>
    </message>
    <message>
        <source>Change severity</source>
        <translation>Đổi mức độ</translation>
    </message>
    <message>
        <source>Note on the step, or the reason to skip it (required to skip)</source>
        <translation>Ghi chú cho bước, hoặc lý do bỏ qua (bắt buộc khi bỏ qua)</translation>
    </message>
    <message>
        <source>Done (Ctrl+D)</source>
        <translation>Đã làm (Ctrl+D)</translation>
    </message>
    <message>
        <source>Skip (Ctrl+Shift+D)</source>
        <translation>Bỏ qua (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Link the alarms selected in the alarm table</source>
        <translation>Liên kết các cảnh báo đang chọn trong bảng cảnh báo</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Các bước</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Diễn biến</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Add a note to the timeline (Ctrl+Return)</source>
        <translation>Thêm ghi chú vào diễn biến (Ctrl+Return)</translation>
    </message>
    <message>
        <source>For the handover</source>
        <translation>Để bàn giao</translation>
    </message>
    <message>
        <source>The shift handover report lists this note</source>
        <translation>Báo cáo bàn giao ca sẽ liệt kê ghi chú này</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>No incident selected</source>
        <translation>Chưa chọn sự cố nào</translation>
    </message>
    <message>
        <source>owner %1</source>
        <translation>phụ trách: %1</translation>
    </message>
    <message>
        <source>opened %1</source>
        <translation>mở lúc %1</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>the newest %1 of %2 entries</source>
        <translation>%1 mục mới nhất trong %2 mục</translation>
    </message>
    <message>
        <source>Still busy with the previous command…</source>
        <translation>Đang thực hiện lệnh trước…</translation>
    </message>
    <message>
        <source>The command failed: %1</source>
        <translation>Lệnh không thực hiện được: %1</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang thực hiện…</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 chuyển sang: %2.</translation>
    </message>
    <message>
        <source>You are the owner of %1.</source>
        <translation>Bạn đang phụ trách %1.</translation>
    </message>
    <message>
        <source>The severity is %1 already.</source>
        <translation>Mức độ đã là %1.</translation>
    </message>
    <message>
        <source>Severity changed to %1.</source>
        <translation>Đã đổi mức độ thành %1.</translation>
    </message>
    <message>
        <source>Select a step first.</source>
        <translation>Hãy chọn một bước trước.</translation>
    </message>
    <message>
        <source>Step done: %1</source>
        <translation>Đã làm bước: %1</translation>
    </message>
    <message>
        <source>Skipping a step needs a reason: type it in the field first.</source>
        <translation>Bỏ qua bước cần lý do: hãy nhập lý do vào ô trước.</translation>
    </message>
    <message>
        <source>Step skipped: %1</source>
        <translation>Đã bỏ qua bước: %1</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>Ghi chú đang trống.</translation>
    </message>
    <message>
        <source>Note added.</source>
        <translation>Đã thêm ghi chú.</translation>
    </message>
    <message>
        <source>Select alarms in the alarm table first.</source>
        <translation>Hãy chọn cảnh báo trong bảng cảnh báo trước.</translation>
    </message>
    <message>
        <source>%1 alarms linked.</source>
        <translation>Đã liên kết %1 cảnh báo.</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Mọi loại</translation>
    </message>
    <message>
        <source>All wards</source>
        <translation>Mọi phường</translation>
    </message>
    <message>
        <source>Search id, title, ward (no diacritics needed)</source>
        <translation>Tìm mã, tiêu đề, phường (gõ không dấu cũng được)</translation>
    </message>
    <message>
        <source>New incident (Ctrl+Shift+N)</source>
        <translation>Sự cố mới (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Could not read the incidents: %1</source>
        <translation>Không đọc được danh sách sự cố: %1</translation>
    </message>
    <message>
        <source>Incidents: %1</source>
        <translation>Sự cố: %1</translation>
    </message>
    <message>
        <source>Incidents: %1 of %2</source>
        <translation>Sự cố: %1 trong %2</translation>
    </message>
    <message>
        <source>%1 is open.</source>
        <translation>Đã mở %1.</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>LinkedAlarmsModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Live value</source>
        <translation>Giá trị hiện tại</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Duty</source>
        <translation>Ca trực</translation>
    </message>
    <message>
        <source>Search feeds by id or name (Ctrl+F)</source>
        <translation>Tìm nguồn theo mã hoặc tên (Ctrl+F)</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Add selected feeds to tiles</source>
        <translation>Thêm nguồn đang chọn vào ô hiển thị</translation>
    </message>
    <message>
        <source>Add selected feeds to trend</source>
        <translation>Thêm nguồn đang chọn vào biểu đồ</translation>
    </message>
    <message>
        <source>Show history of selected feeds</source>
        <translation>Xem lịch sử nguồn đang chọn</translation>
    </message>
    <message>
        <source>Search feeds</source>
        <translation>Tìm nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Follow / pause trend</source>
        <translation>Theo dõi / tạm dừng biểu đồ</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge selected alarms</source>
        <translation>Xác nhận cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>Acknowledge all shown alarms</source>
        <translation>Xác nhận tất cả cảnh báo đang hiển thị</translation>
    </message>
    <message>
        <source>Next unacknowledged alarm</source>
        <translation>Cảnh báo chưa xác nhận tiếp theo</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Tắt chuông</translation>
    </message>
    <message>
        <source>&amp;Incidents</source>
        <translation>&amp;Sự cố</translation>
    </message>
    <message>
        <source>Open incident from selected alarms</source>
        <translation>Mở sự cố từ cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>New incident (phone call, camera)</source>
        <translation>Sự cố mới (điện thoại, camera)</translation>
    </message>
    <message>
        <source>Shift handover report</source>
        <translation>Báo cáo bàn giao ca</translation>
    </message>
    <message>
        <source>&amp;Duty</source>
        <translation>Ca &amp;trực</translation>
    </message>
    <message>
        <source>Lock the screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Language saved: restart the console to apply it.</source>
        <translation>Đã lưu ngôn ngữ: khởi động lại phần mềm để áp dụng.</translation>
    </message>
    <message>
        <source>Not added: the trend shows at most two units and ten feeds (%1 is in %2).</source>
        <translation>Không thêm được: biểu đồ chỉ hiển thị tối đa hai đơn vị và mười nguồn (%1 đo bằng %2).</translation>
    </message>
    <message>
        <source>NO DATA for %1</source>
        <translation>MẤT TÍN HIỆU %1</translation>
    </message>
</context>
<context>
    <name>NewIncidentForm</name>
    <message>
        <source>New incident</source>
        <translation>Sự cố mới</translation>
    </message>
    <message>
        <source>What is happening, where (required)</source>
        <translation>Chuyện gì, ở đâu (bắt buộc)</translation>
    </message>
    <message>
        <source>Street, landmark, other wards</source>
        <translation>Đường, địa danh, các phường khác</translation>
    </message>
    <message>
        <source>What was reported or seen (a phone call, a camera…)</source>
        <translation>Nội dung tin báo hoặc quan sát được (điện thoại, camera…)</translation>
    </message>
    <message>
        <source>Open incident (Ctrl+Return)</source>
        <translation>Mở sự cố (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Hủy (Esc)</translation>
    </message>
    <message>
        <source>Link to this incident instead</source>
        <translation>Thay vào đó, liên kết vào sự cố này</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Tin báo</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>none (opened by hand)</source>
        <translation>không có (mở thủ công)</translation>
    </message>
    <message>
        <source>New incident from %1 alarms</source>
        <translation>Sự cố mới từ %1 cảnh báo</translation>
    </message>
    <message>
        <source>The command failed: %1</source>
        <translation>Lệnh không thực hiện được: %1</translation>
    </message>
    <message>
        <source>An incident needs a title.</source>
        <translation>Sự cố cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Đang mở sự cố…</translation>
    </message>
    <message>
        <source>Linking…</source>
        <translation>Đang liên kết…</translation>
    </message>
</context>
<context>
    <name>RejectsDialog</name>
    <message>
        <source>Rejected input</source>
        <translation>Dữ liệu bị từ chối</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Last sample</source>
        <translation>Mẫu gần nhất</translation>
    </message>
    <message>
        <source>Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5).</source>
        <translation>Số đo và bản tin bị từ chối, theo lý do (docs/PROTOCOL.md §1.5).</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Log: %1</source>
        <translation>Nhật ký: %1</translation>
    </message>
    <message>
        <source>Ingest: %1 readings/s</source>
        <translation>Tiếp nhận: %1 số đo/giây</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Write lag: %1 readings, %2 s</source>
        <translation>Ghi chậm: %1 số đo, %2 giây</translation>
    </message>
    <message>
        <source>Log: all committed (%1 stored)</source>
        <translation>Nhật ký: đã ghi đủ (%1 số đo)</translation>
    </message>
    <message>
        <source>%1 commit retries</source>
        <translation>%1 lần ghi lại</translation>
    </message>
    <message>
        <source>IOC link: not configured</source>
        <translation>Liên kết IOC: chưa cấu hình</translation>
    </message>
    <message>
        <source>This site file has no [uplink] section (docs/CONFIG.md).</source>
        <translation>Tệp cấu hình trạm không có mục [uplink] (docs/CONFIG.md).</translation>
    </message>
    <message>
        <source>IOC: online</source>
        <translation>IOC: trực tuyến</translation>
    </message>
    <message>
        <source>IOC: REFUSED since %1</source>
        <translation>IOC: BỊ TỪ CHỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: OFFLINE since %1</source>
        <translation>IOC: MẤT KẾT NỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: connecting…</source>
        <translation>IOC: đang kết nối…</translation>
    </message>
    <message>
        <source>backlog %1</source>
        <translation>tồn %1</translation>
    </message>
    <message>
        <source>oldest %1 s</source>
        <translation>cũ nhất %1 giây</translation>
    </message>
    <message>
        <source>oldest %1 min</source>
        <translation>cũ nhất %1 phút</translation>
    </message>
    <message>
        <source>oldest %1 h</source>
        <translation>cũ nhất %1 giờ</translation>
    </message>
    <message>
        <source>last ack %1</source>
        <translation>xác nhận lúc %1</translation>
    </message>
    <message>
        <source>no ack yet</source>
        <translation>chưa có xác nhận</translation>
    </message>
    <message>
        <source>BACKLOG ABOVE %1</source>
        <translation>TỒN ĐỌNG VƯỢT %1</translation>
    </message>
</context>
<context>
    <name>TilesPanel</name>
    <message>
        <source>No tiles yet: select feeds in the browser and press Ctrl+T.</source>
        <translation>Chưa có ô hiển thị: chọn nguồn trong danh sách rồi bấm Ctrl+T.</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>console</source>
        <translation>hệ thống</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Clear</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Khoảng</translation>
    </message>
    <message>
        <source>Following (F)</source>
        <translation>Đang theo dõi (F)</translation>
    </message>
    <message>
        <source>Paused (F)</source>
        <translation>Tạm dừng (F)</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>New one-time password</source>
        <translation>Cấp mật khẩu dùng một lần</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>Vô hiệu hóa / kích hoạt</translation>
    </message>
    <message>
        <source>one-time password appears here</source>
        <translation>mật khẩu dùng một lần hiện ở đây</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>%1 accounts</source>
        <translation>%1 tài khoản</translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation>Hãy chọn một tài khoản trước.</translation>
    </message>
    <message>
        <source>Give this one-time password to its owner; it must be changed at the first log-in.</source>
        <translation>Trao mật khẩu dùng một lần này cho chủ tài khoản; phải đổi khi đăng nhập lần đầu.</translation>
    </message>
</context>
</TS>
